// What the stock and reservation operations need besides a transaction: where events go, the
// service's settings, and a logger for what must be seen by an operator.
import type { Logger } from '@shopnow/chassis';
import type { Events } from '@shopnow/events';

export interface InventorySettings {
  /** Units a SKU starts with when the catalog announces its product (NEW_SKU_STOCK). */
  newSkuStock: number;
  /** How long a reservation holds stock unconfirmed (RESERVATION_TTL_SECONDS). */
  reservationTtlSeconds: number;
  /** stock_low below this many available units, unless the SKU has its own (LOW_STOCK_THRESHOLD). */
  lowStockThreshold: number;
}

export interface InventoryContext {
  /** Publishes into the outbox, in the caller's transaction. */
  events: Pick<Events, 'publish'>;
  settings: InventorySettings;
  logger: Logger;
}
