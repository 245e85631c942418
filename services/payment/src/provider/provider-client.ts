// The card processor over HTTP, through the chassis's resilient client: a time budget per call,
// a circuit breaker (cockatiel) and a bulkhead, request-id and trace propagation. No retries in
// here: a failed call is retried by the worker from the database (the payment stays pending), so a
// retry survives a crash and every call is recorded.
import {
  createServiceClient,
  type Discovery,
  type Logger,
  StaticDiscovery,
  UpstreamError,
} from '@shopnow/chassis';
import type { ProviderReply } from '../domain/provider-reply.ts';

/** The processor's name in discovery (when PROVIDER_URL is not set). */
export const PROVIDER_SERVICE = 'payment-provider';

export interface ProviderSettings {
  /** A fixed address (PROVIDER_URL); else the processor is found through discovery. */
  url?: string | undefined;
  secretKey: string;
  timeoutMs: number;
  breakerFailures: number;
  breakerOpenMs: number;
}

export interface ChargeRequest {
  idempotencyKey: string;
  orderId: string;
  userId: string;
  amountMinor: number;
  currency: string;
  cardToken: string;
}

export interface ProviderClient {
  charge(request: ChargeRequest): Promise<ProviderReply>;
  /** Refunds what is left of the charge. */
  refund(request: { idempotencyKey: string; orderId: string; chargeId: string }): Promise<ProviderReply>;
  /** The order's succeeded charges (to settle a charge whose answer was lost). */
  succeededCharges(orderId: string): Promise<ProviderReply>;
  close(): Promise<void>;
}

export function createProviderClient(
  settings: ProviderSettings,
  options: { discovery?: Discovery | undefined; logger?: Logger | undefined } = {},
): ProviderClient {
  const discovery =
    settings.url === undefined
      ? options.discovery
      : new StaticDiscovery(`${PROVIDER_SERVICE}=${settings.url}`);
  if (discovery === undefined)
    throw new Error('payment needs PROVIDER_URL or a discovery to find the processor');
  const client = createServiceClient({
    service: PROVIDER_SERVICE,
    discovery,
    timeoutMs: settings.timeoutMs,
    retries: 0,
    breaker: { consecutiveFailures: settings.breakerFailures, halfOpenAfterMs: settings.breakerOpenMs },
    logger: options.logger,
  });
  const auth = { authorization: `Bearer ${settings.secretKey}` };

  async function call(request: Parameters<typeof client.request>[0]): Promise<ProviderReply> {
    try {
      const response = await client.request(request);
      const code = (response.body as { code?: unknown } | undefined)?.code;
      return {
        kind: 'answer',
        status: response.status,
        code: typeof code === 'string' ? code : null,
        body: response.body,
      };
    } catch (err) {
      if (err instanceof UpstreamError)
        return { kind: 'no_answer', failure: err.failure, maybeSent: err.maybeSent };
      throw err;
    }
  }

  return {
    charge: (request) =>
      call({
        method: 'POST',
        path: '/v1/charges',
        headers: { ...auth, 'idempotency-key': request.idempotencyKey },
        idempotent: true,
        body: {
          amount: request.amountMinor,
          currency: request.currency,
          token: request.cardToken,
          customer: request.userId,
          description: `ShopNow order ${request.orderId}`,
          metadata: { orderId: request.orderId },
        },
      }),
    refund: (request) =>
      call({
        method: 'POST',
        path: '/v1/refunds',
        headers: { ...auth, 'idempotency-key': request.idempotencyKey },
        idempotent: true,
        body: { charge: request.chargeId, reason: 'order_cancelled', metadata: { orderId: request.orderId } },
      }),
    succeededCharges: (orderId) =>
      call({
        method: 'GET',
        path: '/v1/charges',
        headers: auth,
        query: { orderId, status: 'succeeded', limit: 10 },
      }),
    close: () => client.close(),
  };
}

/** The processor's idempotency keys derive from the order: one charge and one refund per order, ever. */
export const chargeKey = (orderId: string) => `order-${orderId}-charge`;
export const refundKey = (orderId: string) => `order-${orderId}-refund`;
