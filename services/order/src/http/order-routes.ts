// The customer's routes: place an order (202, then follow it), read one, list mine, cancel.
// POST /orders requires an Idempotency-Key: a retry replays the first answer (the same order), the
// key with another body is 422, the key while its first request still runs is 409.
import {
  type App,
  AppError,
  hasRole,
  requestFingerprint,
  requireUser,
  runWrite,
  userOf,
  withIdempotency,
} from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import { placeOrder } from '../checkout/place-order.ts';
import { decodeOrderCursor, encodeOrderCursor } from '../domain/cursor.ts';
import { orderErrors, orderNotFound } from '../errors.ts';
import { advanceOrder } from '../saga/checkout-saga.ts';
import { findOrder, listOrders, orderLines } from '../store/orders.ts';
import { visible } from './access.ts';
import type { RouteDeps } from './deps.ts';
import {
  Accepted,
  MyOrdersQuery,
  NoQuery,
  Order,
  OrderPage,
  OrderParams,
  PlaceOrderBody,
  PlaceOrderHeaders,
  WriteHeaders,
} from './schemas.ts';
import { linksOf, orderView, summaryView } from './views.ts';

const TAGS = ['orders'];

export function registerOrderRoutes(app: App, deps: RouteDeps): void {
  const { db, ctx, upstreams, linkPrefix } = deps;
  app.register(async (orders: App) => {
    orders.addHook('onRequest', requireUser);

    orders.post(
      '/orders',
      {
        schema: {
          summary: 'Place an order from the cart (or the lines given); follow it at links.events',
          description:
            'Prices come from the catalog, the address from your profile, the card token is checked at the ' +
            'card processor. 202: stock is reserved, then the card charged, then the order confirmed.',
          tags: TAGS,
          querystring: NoQuery,
          headers: PlaceOrderHeaders,
          body: PlaceOrderBody,
          response: { 202: Accepted },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        if (key === undefined) {
          throw new AppError(orderErrors['order.idempotency_key_required'], 'Send an Idempotency-Key header');
        }
        const caller = userOf(request);
        const result = await withIdempotency(
          db,
          {
            scope: `orders:${caller.userId}`,
            key,
            fingerprint: requestFingerprint('POST /orders', request.body),
          },
          async (tx) => {
            const order = await placeOrder(tx, ctx, upstreams, {
              caller,
              authorization: request.headers.authorization as string,
              ...request.body,
            });
            return {
              status: 202,
              body: { orderId: order.id, status: order.status, links: linksOf(linkPrefix, order.id) },
            };
          },
        );
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(202).header('location', result.body.links.self).send(result.body);
      },
    );

    orders.get(
      '/orders',
      {
        schema: {
          summary: 'My orders, newest first (cursor paging)',
          tags: TAGS,
          querystring: MyOrdersQuery,
          response: { 200: OrderPage },
        },
      },
      async (request) => {
        const { limit = 20, cursor, status } = request.query;
        const after = cursor === undefined ? undefined : decodeOrderCursor(cursor);
        if (cursor !== undefined && after === undefined) {
          throw new AppError(orderErrors['order.invalid_cursor'], 'cursor is not one this list made');
        }
        const rows = await listOrders(db, {
          userId: userOf(request).userId,
          status,
          after,
          limit: limit + 1,
        });
        return page(rows, limit);
      },
    );

    orders.get(
      '/orders/:id',
      {
        schema: {
          summary: 'One of my orders: status, lines, totals, address',
          tags: TAGS,
          params: OrderParams,
          querystring: NoQuery,
          response: { 200: Order },
        },
      },
      async (request) => {
        const { id } = request.params;
        const order = visible(request.identity, id, await findOrder(db, id));
        return orderView(order, await orderLines(db, order), linkPrefix);
      },
    );

    orders.post(
      '/orders/:id/cancel',
      {
        schema: {
          summary: 'Cancel an order before its parcel leaves (a paid order is refunded)',
          description:
            'Allowed while pending, awaiting payment or confirmed (shipping then stops the shipment). ' +
            '409 order.not_cancellable once shipped, delivered or cancelled; the detail says why.',
          tags: TAGS,
          params: OrderParams,
          querystring: NoQuery,
          headers: WriteHeaders,
          response: { 200: Order },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const caller = userOf(request);
        const { body } = await runWrite(
          db,
          request,
          reply as FastifyReply,
          `orders:${caller.userId}`,
          async (tx) => {
            const order = await findOrder(tx, id);
            const owner = order?.userId === caller.userId.toLowerCase();
            if (order === undefined || !(owner || hasRole(caller, 'admin'))) throw orderNotFound(id);
            const result = await advanceOrder(
              tx,
              ctx,
              id,
              { kind: 'customer_cancel' },
              {
                cause: owner ? 'customer' : `admin:${caller.userId}`,
              },
            );
            if (result.outcome === 'unknown_order') throw orderNotFound(id);
            if (result.outcome === 'refused') {
              throw new AppError(orderErrors['order.not_cancellable'], result.why);
            }
            return {
              status: 200,
              body: orderView(result.order, await orderLines(tx, result.order), linkPrefix),
            };
          },
        );
        return body;
      },
    );
  });
}

/** One page of a newest-first list read with limit + 1 rows. */
export function page(rows: Parameters<typeof summaryView>[0][], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(summaryView),
    nextCursor: rows.length > limit && last !== undefined ? encodeOrderCursor(last) : null,
  };
}
