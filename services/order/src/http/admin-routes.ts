// Admin: every order, filtered by status, customer and creation time (cursor paging), and one
// order with its saga timeline (each transition with its time, cause and reason).
import { type App, AppError, requireRoles } from '@shopnow/chassis';
import { decodeOrderCursor } from '../domain/cursor.ts';
import { orderErrors, orderNotFound } from '../errors.ts';
import { findOrder, listOrders, orderLines } from '../store/orders.ts';
import { transitionsOf } from '../store/transitions.ts';
import type { RouteDeps } from './deps.ts';
import { page } from './order-routes.ts';
import { AdminOrder, AdminOrdersQuery, NoQuery, OrderPage, OrderParams } from './schemas.ts';
import { orderView, timelineView } from './views.ts';

const TAGS = ['orders (admin)'];
const NOTE = 'Requires an access token with the admin role.';

export function registerAdminRoutes(app: App, { db, linkPrefix }: RouteDeps): void {
  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));

    admin.get(
      '/admin/orders',
      {
        schema: {
          summary: 'Every order, newest first; filter by status, userId, from/to (creation time)',
          description: NOTE,
          tags: TAGS,
          querystring: AdminOrdersQuery,
          response: { 200: OrderPage },
        },
      },
      async (request) => {
        const { limit = 20, cursor, status, userId, from, to } = request.query;
        const after = cursor === undefined ? undefined : decodeOrderCursor(cursor);
        if (cursor !== undefined && after === undefined) {
          throw new AppError(orderErrors['order.invalid_cursor'], 'cursor is not one this list made');
        }
        const rows = await listOrders(db, {
          userId: userId?.toLowerCase(),
          status,
          from: from === undefined ? undefined : new Date(from),
          to: to === undefined ? undefined : new Date(to),
          after,
          limit: limit + 1,
        });
        return page(rows, limit);
      },
    );

    admin.get(
      '/admin/orders/:id',
      {
        schema: {
          summary: 'One order with its saga timeline',
          description: NOTE,
          tags: TAGS,
          params: OrderParams,
          querystring: NoQuery,
          response: { 200: AdminOrder },
        },
      },
      async (request) => {
        const { id } = request.params;
        const order = await findOrder(db, id);
        if (order === undefined) throw orderNotFound(id);
        const [lines, transitions] = await Promise.all([orderLines(db, order), transitionsOf(db, id)]);
        return { ...orderView(order, lines, linkPrefix), timeline: timelineView(transitions) };
      },
    );
  });
}
