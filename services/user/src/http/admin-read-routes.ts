// The admin user list: search, filters and cursor paging. Support staff may read it too.
import { type App, fieldError, requireRoles } from '@shopnow/chassis';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, type UserKey } from '../domain/paging.ts';
import { userErrors } from '../errors.ts';
import { listUsers } from '../store/users.ts';
import type { RouteDeps } from './deps.ts';
import { ListUsersQuery, UserPage } from './schemas.ts';

export function registerAdminReadRoutes(app: App, { db }: RouteDeps): void {
  app.register(async (staff: App) => {
    staff.addHook('onRequest', requireRoles('admin', 'support'));

    staff.get(
      '/admin/users',
      {
        schema: {
          summary: 'Users, newest first: search by email or display name, filter by role, tier, status',
          description: 'Requires the role admin or support.',
          tags: ['admin'],
          querystring: ListUsersQuery,
          response: { 200: UserPage },
        },
      },
      async (request) => {
        const { q, role, tier, status, cursor } = request.query;
        const after = cursor === undefined ? undefined : decodeOrRefuse(cursor);
        const limit = request.query.limit ?? DEFAULT_PAGE_SIZE;
        const page = await listUsers(db, { q, role, tier, status, after, limit });
        return { items: page.items, nextCursor: page.nextKey ? encodeCursor(page.nextKey) : null };
      },
    );
  });
}

function decodeOrRefuse(cursor: string): UserKey {
  const key = decodeCursor(cursor);
  if (key === undefined) {
    throw fieldError(
      userErrors['user.invalid_cursor'],
      'querystring',
      '/cursor',
      'is not a cursor from this list',
    );
  }
  return key;
}
