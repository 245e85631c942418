// Every event the auth service consumes: none. Auth is a source of identity events only; the
// list exists so every service answers "what does it listen to" in the same place.
import type { Subscription } from '@shopnow/events';

export const authSubscriptions: Subscription[] = [];
