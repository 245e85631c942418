// The event types the profile service publishes (none yet) or consumes.
import { AuthUserRegisteredV1, EventCatalog } from '@shopnow/contracts';

export const profileCatalog = new EventCatalog([AuthUserRegisteredV1]);
