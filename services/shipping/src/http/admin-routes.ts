// Admin: every shipment, filtered (cursor paging); one with its full history (causes included);
// advance one step (the carrier's next move, by hand); mark an exception with a reason. Reads are
// for admin and support, moves for admin. A move the state machine refuses is 409 saying why.
import { type App, AppError, requireRoles, runWrite, userOf } from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import type pg from 'pg';
import type { ShippingContext } from '../context.ts';
import type { ShipmentInput } from '../domain/shipment-status.ts';
import { shipmentNotFound, shippingErrors } from '../errors.ts';
import { moveOnce } from '../shipments/move.ts';
import { historyOf } from '../store/history.ts';
import { findShipment, listShipments } from '../store/shipments.ts';
import type { RouteDeps } from './deps.ts';
import { afterCursor } from './paging.ts';
import {
  AdminShipment,
  AdminShipmentsQuery,
  ExceptionBody,
  NoQuery,
  ShipmentPage,
  ShipmentParams,
  WriteHeaders,
} from './schemas.ts';
import { adminView, page } from './views.ts';

const TAGS = ['shipments (admin)'];
const READ_NOTE = 'Requires an access token with the admin or support role.';
const WRITE_NOTE = 'Requires an access token with the admin role. Accepts Idempotency-Key.';

/** Applies `input` to shipment `id` for the admin of the request; the admin view after it. */
async function adminMove(
  tx: pg.PoolClient,
  ctx: ShippingContext,
  id: string,
  input: ShipmentInput,
  adminId: string,
) {
  const shipment = await findShipment(tx, id, { forUpdate: true });
  if (shipment === undefined) throw shipmentNotFound(id);
  const result = await moveOnce(tx, ctx, shipment, input, `admin:${adminId}`);
  if (result.outcome === 'refused') throw new AppError(shippingErrors['shipping.invalid_move'], result.why);
  return { status: 200, body: adminView(result.shipment, await historyOf(tx, id)) };
}

export function registerAdminRoutes(app: App, { db, ctx }: RouteDeps): void {
  app.register(async (staff: App) => {
    staff.addHook('onRequest', requireRoles('admin', 'support'));

    staff.get(
      '/admin/shipments',
      {
        schema: {
          summary: 'Every shipment, newest first; filter by status, userId, orderId, carrier',
          description: READ_NOTE,
          tags: TAGS,
          querystring: AdminShipmentsQuery,
          response: { 200: ShipmentPage },
        },
      },
      async (request) => {
        const { limit = 20, cursor, status, userId, orderId, carrier } = request.query;
        const rows = await listShipments(db, {
          userId: userId?.toLowerCase(),
          orderId: orderId?.toLowerCase(),
          status,
          carrier,
          after: afterCursor(cursor),
          limit: limit + 1,
        });
        return page(rows, limit);
      },
    );

    staff.get(
      '/admin/shipments/:id',
      {
        schema: {
          summary: 'One shipment with its full history (time, cause, reason, city of each step)',
          description: READ_NOTE,
          tags: TAGS,
          params: ShipmentParams,
          querystring: NoQuery,
          response: { 200: AdminShipment },
        },
      },
      async (request) => {
        const { id } = request.params;
        const shipment = await findShipment(db, id);
        if (shipment === undefined) throw shipmentNotFound(id);
        return adminView(shipment, await historyOf(db, id));
      },
    );
  });

  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));

    admin.post(
      '/admin/shipments/:id/advance',
      {
        schema: {
          summary: "Move a shipment one step on (the carrier's next move), publishing its event",
          description: `${WRITE_NOTE} 409 shipping.invalid_move once it is delivered, in exception or cancelled.`,
          tags: TAGS,
          params: ShipmentParams,
          querystring: NoQuery,
          headers: WriteHeaders,
          response: { 200: AdminShipment },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const adminId = userOf(request).userId;
        const { body } = await runWrite(
          db,
          request,
          reply as FastifyReply,
          `shipping-admin:${adminId}`,
          (tx) => adminMove(tx, ctx, id, { kind: 'advance' }, adminId),
        );
        return body;
      },
    );

    admin.post(
      '/admin/shipments/:id/exception',
      {
        schema: {
          summary: 'Mark a shipment as failed on its way, with a reason code (final)',
          description: `${WRITE_NOTE} 409 shipping.invalid_move once it is delivered, in exception or cancelled.`,
          tags: TAGS,
          params: ShipmentParams,
          querystring: NoQuery,
          headers: WriteHeaders,
          body: ExceptionBody,
          response: { 200: AdminShipment },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const adminId = userOf(request).userId;
        const { reason } = request.body;
        const { body } = await runWrite(
          db,
          request,
          reply as FastifyReply,
          `shipping-admin:${adminId}`,
          (tx) => adminMove(tx, ctx, id, { kind: 'exception', reason }, adminId),
        );
        return body;
      },
    );
  });
}
