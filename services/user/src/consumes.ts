// Every event the user service consumes, with its consumer group and handler: the one place to
// look. Each handler runs in the transaction that records the event in the inbox.
import { AuthUserRegisteredV1 } from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import { insertRegisteredUser } from './store/users.ts';

export const userSubscriptions = [
  // A new account gets its user record: customer, free tier, active. The inbox drops a
  // redelivered event; the insert itself is idempotent too (same account, new event id).
  consume(AuthUserRegisteredV1, 'user.registrations', async (event, tx) => {
    await insertRegisteredUser(tx, event.data);
  }),
];
