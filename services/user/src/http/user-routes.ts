// A user record by id: for the user themself, and for support and admin. Anyone else gets the
// same 404 as for an id that does not exist, so ids cannot be probed.
import { type App, hasRole, requireUser, userOf } from '@shopnow/chassis';
import { throwUserNotFound } from '../errors.ts';
import { findUserById } from '../store/users.ts';
import type { RouteDeps } from './deps.ts';
import { IdParams, NoQuery, User } from './schemas.ts';

export function registerUserRoutes(app: App, { db }: RouteDeps): void {
  app.register(async (users: App) => {
    users.addHook('onRequest', requireUser);

    users.get(
      '/users/:id',
      {
        schema: {
          summary: 'A user by id (themself, support or admin; anyone else: 404)',
          tags: ['users'],
          params: IdParams,
          querystring: NoQuery,
          response: { 200: User },
        },
      },
      async (request) => {
        const { id } = request.params;
        const caller = userOf(request);
        if (caller.userId !== id && !hasRole(caller, 'support', 'admin')) throwUserNotFound(id);
        return (await findUserById(db, id)) ?? throwUserNotFound(id);
      },
    );
  });
}
