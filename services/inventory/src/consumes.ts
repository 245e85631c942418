// Every event the inventory service consumes, with its consumer group and handler: the one place
// to look. Each handler runs in the transaction that records the event in the inbox, so what it
// changes and what it publishes happen exactly once per event.
import {
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  ProductCreatedV1,
  ProductUpdatedV1,
} from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import type { InventoryContext } from './context.ts';
import { cancelReservation } from './reservations/cancel.ts';
import { confirmReservation } from './reservations/confirm.ts';
import { reserveOrder } from './reservations/reserve.ts';
import { followCatalog, stockProduct } from './stock/catalog-stock.ts';

/** The checkout saga's side of inventory: reserve, sell, release. */
const RESERVATIONS = 'inventory.reservations';
/** A stock row for every product of the catalog. */
const CATALOG = 'inventory.catalog';

export function inventorySubscriptions(ctx: InventoryContext) {
  return [
    consume(OrderPlacedV1, RESERVATIONS, async (event, tx) => {
      await reserveOrder(tx, ctx, event.data);
    }),
    consume(OrderConfirmedV1, RESERVATIONS, async (event, tx) => {
      await confirmReservation(tx, ctx, event.data.orderId);
    }),
    consume(OrderCancelledV1, RESERVATIONS, async (event, tx) => {
      await cancelReservation(tx, ctx, { orderId: event.data.orderId, reason: event.data.reason });
    }),
    consume(ProductCreatedV1, CATALOG, async (event, tx) => {
      await stockProduct(tx, ctx, event.data, `event:${event.type}`);
    }),
    consume(ProductUpdatedV1, CATALOG, async (event, tx) => {
      await followCatalog(tx, ctx, event.data, `event:${event.type}`);
    }),
  ];
}
