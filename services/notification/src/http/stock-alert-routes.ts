// The signed-in customer's back-in-stock alerts: ask to hear when a product is available again
// (the product must be on sale; its SKU and name are taken from the catalog), list them, drop
// one. Each alert becomes one message when inventory says the product is back, then it is gone.
import { type App, requireUser, userOf } from '@shopnow/chassis';
import type pg from 'pg';
import type { ProductSource } from '../catalog/product-source.ts';
import { productNotFound, stockAlertNotFound, tooManyStockAlerts } from '../errors.ts';
import { deleteAlert, insertAlert, listAlerts } from '../store/stock-alerts.ts';
import { NoQuery, ProductIdParams, StockAlert, StockAlertList } from './schemas.ts';
import { stockAlertView } from './views.ts';

const TAGS = ['stock alerts'];
const NOTE = "Requires a user's access token; the caller's own alerts only.";
/** Alerts one customer may hold at once (a wish list, not a subscription to the catalog). */
export const MAX_STOCK_ALERTS = 100;

export function registerStockAlertRoutes(
  app: App,
  { db, products }: { db: pg.Pool; products: ProductSource },
): void {
  app.register(async (alerts: App) => {
    alerts.addHook('onRequest', requireUser);

    alerts.get(
      '/stock-alerts',
      {
        schema: {
          summary: 'My back-in-stock alerts, newest first',
          description: NOTE,
          tags: TAGS,
          querystring: NoQuery,
          response: { 200: StockAlertList },
        },
      },
      async (request) => ({ items: (await listAlerts(db, userOf(request).userId)).map(stockAlertView) }),
    );

    alerts.put(
      '/stock-alerts/:productId',
      {
        schema: {
          summary: 'Tell me when this product is back in stock (201 when new, 200 when I had asked already)',
          description: `${NOTE} The product must be on sale (404 otherwise). One message when inventory has units again, then the alert is removed.`,
          tags: TAGS,
          params: ProductIdParams,
          response: { 200: StockAlert, 201: StockAlert },
        },
      },
      async (request, reply) => {
        const { userId } = userOf(request);
        const { productId } = request.params;
        const product = await products.find(productId);
        if (product === undefined) throw productNotFound(productId);
        const stored = await insertAlert(
          db,
          { userId, productId, sku: product.sku, productName: product.name },
          MAX_STOCK_ALERTS,
        );
        if (stored === 'limit_reached') throw tooManyStockAlerts(MAX_STOCK_ALERTS);
        reply.code(stored.created ? 201 : 200);
        return stockAlertView(stored.alert);
      },
    );

    alerts.delete(
      '/stock-alerts/:productId',
      {
        schema: {
          summary: 'Drop my back-in-stock alert for this product',
          description: NOTE,
          tags: TAGS,
          params: ProductIdParams,
        },
      },
      async (request, reply) => {
        const { productId } = request.params;
        if (!(await deleteAlert(db, userOf(request).userId, productId))) throw stockAlertNotFound(productId);
        return reply.code(204).send();
      },
    );
  });
}
