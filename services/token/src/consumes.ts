// Every event the token service consumes, with its consumer group and handler: the one place to
// look. Each handler runs in the transaction that records the event in the inbox, so a revocation
// it makes (sessions, revocation entry, outbox event) happens exactly once.
import {
  AuthPasswordChangedV1,
  AuthUserRegisteredV1,
  UserReactivatedV1,
  UserRolesChangedV1,
  UserSuspendedV1,
  UserTierChangedV1,
} from '@shopnow/contracts';
import { consume, type Events } from '@shopnow/events';
import { rolesTakenAway } from './domain/roles.ts';
import { revokeUser } from './revocation/revoke.ts';
import { changeSubject, insertSubject } from './store/subjects.ts';

const SUBJECTS = 'token.subjects';
const REVOCATIONS = 'token.revocations';

export function tokenSubscriptions(events: Events) {
  return [
    // The subjects projection: what roles, tier and status the next token carries.
    consume(AuthUserRegisteredV1, SUBJECTS, async (event, tx) => {
      await insertSubject(tx, event.data.userId, new Date(event.time));
    }),
    // A role taken away ends every session: a live token would claim it until it expires, a
    // refresh token would get it back. Every session up to now, not up to the event's time: one
    // started since was given the old roles from this projection. A role given reaches the next token.
    consume(UserRolesChangedV1, SUBJECTS, async (event, tx) => {
      const { userId, roles, previousRoles } = event.data;
      await changeSubject(tx, userId, { roles }, new Date(event.time));
      if (rolesTakenAway(previousRoles, roles).length > 0) {
        await revokeUser(tx, events, { userId, reason: 'roles_revoked' });
      }
    }),
    consume(UserTierChangedV1, SUBJECTS, async (event, tx) => {
      await changeSubject(tx, event.data.userId, { tier: event.data.tier }, new Date(event.time));
    }),
    // A suspended user is signed out everywhere (every session, even one started after the event
    // was sent) and cannot sign in or refresh until reactivated.
    consume(UserSuspendedV1, SUBJECTS, async (event, tx) => {
      await changeSubject(tx, event.data.userId, { status: 'suspended' }, new Date(event.time));
      await revokeUser(tx, events, { userId: event.data.userId, reason: 'user_suspended' });
    }),
    consume(UserReactivatedV1, SUBJECTS, async (event, tx) => {
      await changeSubject(tx, event.data.userId, { status: 'active' }, new Date(event.time));
    }),
    // A new password ends every session started before it (whoever held the old one is signed
    // out); a sign-in with the new password that beat this event here survives.
    consume(AuthPasswordChangedV1, REVOCATIONS, async (event, tx) => {
      const asOf = new Date(event.time);
      await revokeUser(tx, events, { userId: event.data.userId, reason: 'password_changed', asOf });
    }),
  ];
}
