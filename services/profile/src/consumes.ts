// Every event the profile service consumes, with its consumer group and handler: the one place
// to look. Each handler runs in the transaction that records the event in the inbox.
import { AuthUserRegisteredV1 } from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import { ensurePreferences } from './store/preferences.ts';

export const profileSubscriptions = [
  // A new account gets its default preferences. Idempotent twice over: the inbox drops a
  // redelivery, and a row created earlier by a lazy read is left as it is.
  consume(AuthUserRegisteredV1, 'profile.preferences', async (event, tx) => {
    await ensurePreferences(tx, event.data.userId);
  }),
];
