// Admin: end every session of any user (e.g. a compromised account).
import { type App, requireRoles, withTransaction } from '@shopnow/chassis';
import { revokeUser } from '../revocation/revoke.ts';
import type { RouteDeps } from './deps.ts';
import { UserIdParams } from './schemas.ts';
import { revoked } from './session-routes.ts';

export function registerAdminRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/admin/users/:userId/sessions/revoke',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary: 'End every session of a user and refuse their live access tokens (admin)',
        tags: ['admin'],
        params: UserIdParams,
      },
    },
    async (request, reply) => {
      await withTransaction(deps.db, (tx) =>
        revokeUser(tx, deps.events, { userId: request.params.userId, reason: 'revoked_by_admin' }),
      );
      return revoked(deps, reply);
    },
  );
}
