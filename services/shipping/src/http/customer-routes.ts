// The customer's routes: my shipments, one with its tracking history, the one of my order. Someone
// else's shipment is 404, the same answer as for an id nobody has; staff (admin, support) may read.
import { type App, hasRole, type Identity, requireUser, userOf } from '@shopnow/chassis';
import { shipmentNotFound } from '../errors.ts';
import { historyOf } from '../store/history.ts';
import { findShipment, findShipmentOfOrder, listShipments, type Shipment } from '../store/shipments.ts';
import type { RouteDeps } from './deps.ts';
import { afterCursor } from './paging.ts';
import {
  MyShipmentsQuery,
  NoQuery,
  OrderParams,
  ShipmentPage,
  ShipmentParams,
  Shipment as ShipmentSchema,
} from './schemas.ts';
import { customerView, page } from './views.ts';

const TAGS = ['shipments'];

function mayRead(identity: Identity | undefined, shipment: Shipment): boolean {
  if (identity?.kind !== 'user') return false;
  return identity.userId.toLowerCase() === shipment.userId || hasRole(identity, 'admin', 'support');
}

export function registerCustomerRoutes(app: App, { db }: RouteDeps): void {
  app.register(async (mine: App) => {
    mine.addHook('onRequest', requireUser);

    mine.get(
      '/shipments',
      {
        schema: {
          summary: 'My shipments, newest first (cursor paging)',
          tags: TAGS,
          querystring: MyShipmentsQuery,
          response: { 200: ShipmentPage },
        },
      },
      async (request) => {
        const { limit = 20, cursor, status } = request.query;
        const rows = await listShipments(db, {
          userId: userOf(request).userId.toLowerCase(),
          status,
          after: afterCursor(cursor),
          limit: limit + 1,
        });
        return page(rows, limit);
      },
    );

    mine.get(
      '/shipments/:id',
      {
        schema: {
          summary: 'One of my shipments with its tracking history',
          tags: TAGS,
          params: ShipmentParams,
          querystring: NoQuery,
          response: { 200: ShipmentSchema },
        },
      },
      async (request) => {
        const { id } = request.params;
        const shipment = await findShipment(db, id);
        if (shipment === undefined || !mayRead(request.identity, shipment)) throw shipmentNotFound(id);
        return customerView(shipment, await historyOf(db, shipment.id));
      },
    );

    mine.get(
      '/shipments/by-order/:orderId',
      {
        schema: {
          summary: "My order's shipment with its tracking history",
          description: '404 until the order is confirmed (shipping schedules it then).',
          tags: TAGS,
          params: OrderParams,
          querystring: NoQuery,
          response: { 200: ShipmentSchema },
        },
      },
      async (request) => {
        const { orderId } = request.params;
        const shipment = await findShipmentOfOrder(db, orderId);
        if (shipment === undefined || !mayRead(request.identity, shipment)) {
          throw shipmentNotFound(`for order ${orderId}`);
        }
        return customerView(shipment, await historyOf(db, shipment.id));
      },
    );
  });
}
