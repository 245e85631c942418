// `admin.ts grant-role`: give a user a role from the command line (the launcher's seed makes the
// first admin this way, so no admin password or token ever lives in code). When the account's
// registration event has not arrived yet, the record is made ahead of it from --email; the event
// then fills in the rest (see insertRegisteredUser).
import { withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import { withRole } from '../domain/roles.ts';
import { DEFAULT_ROLES, type Role, type User } from '../domain/user.ts';
import { type Publisher, publishRolesChanged } from '../events/publish-user-events.ts';
import { findUserById, insertProvisionalUser } from '../store/users.ts';
import { changeRoles } from './admin-changes.ts';

/** Not a user id: the self-protection rules (an admin demoting themselves) never match it. */
export const CLI_ACTOR = 'admin-cli';

export type GrantResult =
  | { outcome: 'created' | 'granted' | 'unchanged'; user: User }
  | { outcome: 'email_required' };

export async function grantRole(
  db: pg.Pool,
  events: Publisher,
  request: { userId: string; role: Role; email?: string | undefined },
): Promise<GrantResult> {
  return withTransaction(db, async (tx) => {
    let existing = await findUserById(tx, request.userId, { forUpdate: true });
    if (existing === undefined) {
      if (request.email === undefined) return { outcome: 'email_required' };
      const roles = withRole(DEFAULT_ROLES, request.role);
      const created = await insertProvisionalUser(tx, { id: request.userId, email: request.email, roles });
      if (created !== undefined) {
        await publishRolesChanged(events, tx, { userId: request.userId, roles, previousRoles: [] });
        return { outcome: 'created', user: created };
      }
      // The registration event inserted it meanwhile: grant on that record instead.
      existing = await findUserById(tx, request.userId, { forUpdate: true });
      if (existing === undefined) throw new Error(`grant-role: user ${request.userId} vanished`);
    }
    if (existing.roles.includes(request.role)) return { outcome: 'unchanged', user: existing };
    const roles = withRole(existing.roles, request.role);
    const user = await changeRoles({ tx, events, actorId: CLI_ACTOR }, request.userId, roles);
    return { outcome: 'granted', user };
  });
}
