// The public availability read, for carts and product pages: how many units of each SKU can be
// bought now. Several SKUs at once list the unknown ones; the one-SKU form answers 404 for one.
import type { App } from '@shopnow/chassis';
import { normaliseSku } from '../domain/sku.ts';
import { skuNotFound } from '../errors.ts';
import { availabilityOf } from '../store/stock.ts';
import type { RouteDeps } from './deps.ts';
import { Availability, AvailabilityQuery, NoQuery, OneAvailability, SkuParams } from './schemas.ts';

const TAGS = ['availability'];

export function registerAvailabilityRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    '/inventory/availability',
    {
      schema: {
        summary: 'Available units of up to 100 SKUs (?sku=A&sku=B); unknown SKUs are listed apart',
        tags: TAGS,
        querystring: AvailabilityQuery,
        response: { 200: Availability },
      },
    },
    async (request) => {
      const skus = [...new Set(request.query.sku.map(normaliseSku))];
      const rows = await availabilityOf(db, skus);
      const known = new Set(rows.map((row) => row.sku));
      return {
        items: rows.map(({ sku, available, active }) => ({
          sku,
          available,
          purchasable: active && available > 0,
        })),
        unknown: skus.filter((sku) => !known.has(sku)),
      };
    },
  );

  app.get(
    '/inventory/availability/:sku',
    {
      schema: {
        summary: 'Available units of one SKU (404 when no stock is kept for it)',
        tags: TAGS,
        params: SkuParams,
        querystring: NoQuery,
        response: { 200: OneAvailability },
      },
    },
    async (request) => {
      const sku = normaliseSku(request.params.sku);
      const [row] = await availabilityOf(db, [sku]);
      if (row === undefined) throw skuNotFound(sku);
      return { sku: row.sku, available: row.available, purchasable: row.active && row.available > 0 };
    },
  );
}
