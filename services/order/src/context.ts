// What the saga needs besides a transaction: where events go, its timeouts, and a logger.
import type { Logger } from '@shopnow/chassis';
import type { Events } from '@shopnow/events';

export interface SagaSettings {
  /** How long an order waits for inventory's answer (STOCK_TIMEOUT_SECONDS). */
  stockTimeoutSeconds: number;
  /** How long an order waits for its payment (PAYMENT_TIMEOUT_SECONDS). */
  paymentTimeoutSeconds: number;
}

export interface OrderContext {
  /** Publishes into the outbox, in the caller's transaction. */
  events: Pick<Events, 'publish'>;
  settings: SagaSettings;
  logger: Logger;
}
