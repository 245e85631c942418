// Admin: an order's reservation, what it holds or held, for support and saga debugging.
import { type App, AppError, requireRoles } from '@shopnow/chassis';
import { inventoryErrors } from '../errors.ts';
import { findReservation, reservationLines } from '../store/reservations.ts';
import type { RouteDeps } from './deps.ts';
import { NoQuery, OrderParams, Reservation } from './schemas.ts';

export function registerReservationRoutes(app: App, { db }: RouteDeps): void {
  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));
    admin.get(
      '/inventory/reservations/:orderId',
      {
        schema: {
          summary: "An order's reservation: status, lines, expiry",
          description: 'Requires an access token with the admin role.',
          tags: ['reservations (admin)'],
          params: OrderParams,
          querystring: NoQuery,
          response: { 200: Reservation },
        },
      },
      async (request) => {
        const { orderId } = request.params;
        const reservation = await findReservation(db, orderId);
        if (reservation === undefined) {
          throw new AppError(
            inventoryErrors['inventory.reservation_not_found'],
            `No reservation for order ${orderId}`,
          );
        }
        return {
          orderId,
          reservationId: reservation.id,
          status: reservation.status,
          reason: reservation.reason,
          lines: await reservationLines(db, orderId),
          expiresAt: reservation.expiresAt?.toISOString() ?? null,
          createdAt: reservation.createdAt.toISOString(),
          updatedAt: reservation.updatedAt.toISOString(),
        };
      },
    );
  });
}
