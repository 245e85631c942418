// GET /products/:id/price-history: the price-history projection, fed by product.price_changed.v1
// through the outbox and this service's own consumer group, so it trails a price change by the
// event's delivery time (milliseconds normally; longer while the transport is down).
import type { App } from '@shopnow/chassis';
import { AppError } from '@shopnow/chassis';
import { Type } from 'typebox';
import { productErrors } from '../errors.ts';
import { listPriceChanges } from '../store/price-history.ts';
import { findProductById } from '../store/products.ts';
import type { RouteDeps } from './deps.ts';
import { IdParams, Money } from './schemas.ts';

const PriceChange = Type.Object({
  eventId: Type.String({ format: 'uuid' }),
  oldPrice: Money,
  newPrice: Money,
  changedAt: Type.String({ format: 'date-time' }),
});

export function registerPriceHistoryRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    '/products/:id/price-history',
    {
      schema: {
        summary: "A product's price changes, newest first (eventually consistent: built from events)",
        tags: ['catalog'],
        params: IdParams,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PriceChange) }) },
      },
    },
    async (request) => {
      const { id } = request.params;
      if ((await findProductById(db, id, { includeInactive: true })) === undefined) {
        throw new AppError(productErrors['product.not_found'], `No product ${id}`);
      }
      const items = await listPriceChanges(db, id, request.query.limit ?? 20);
      return {
        items: items.map(({ eventId, oldPrice, newPrice, changedAt }) => ({
          eventId,
          oldPrice,
          newPrice,
          changedAt,
        })),
      };
    },
  );
}
