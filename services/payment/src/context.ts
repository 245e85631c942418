// What the payment operations need besides a transaction: where events go, the retry settings,
// the processor, counters, and a logger for what an operator must see.
import type { Logger } from '@shopnow/chassis';
import type { Events } from '@shopnow/events';
import type { PaymentMetrics } from './payments/metrics.ts';
import type { ProviderClient } from './provider/provider-client.ts';

export interface PaymentSettings {
  /** First retry after about this long, doubling (PAYMENT_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Never longer between two calls for one payment (PAYMENT_RETRY_MAX_MS). */
  retryMaxMs: number;
  /**
   * How long after a charge call whose answer was lost the processor is asked what became of it,
   * when the order was cancelled meanwhile (PAYMENT_SETTLE_MS): the call may still be running there.
   */
  settleMs: number;
  /** A claimed payment is another worker's again after this long (the call's budget plus margin). */
  leaseMs: number;
}

export interface PaymentContext {
  /** Publishes into the outbox, in the caller's transaction. */
  events: Pick<Events, 'publish'>;
  settings: PaymentSettings;
  logger: Logger;
}

/** The worker's context: the processor and counters too. */
export interface WorkerContext extends PaymentContext {
  provider: ProviderClient;
  metrics?: PaymentMetrics | undefined;
}
