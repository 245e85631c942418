// One checkout as a customer makes it through the gateway: POST /api/orders (explicit lines,
// a fresh Idempotency-Key) → 202, then the order's status stream until it is confirmed or
// cancelled. Times are from `startAt` (the due time in an open loop, the send time otherwise).
import type { ApiCall } from '../../../e2e/src/api-client.ts';
import { openEventStream } from '../../../e2e/src/event-stream.ts';
import { isSettled, placeOrder, type StatusChange } from '../../../e2e/src/orders.ts';
import type { Customer } from './customers.ts';
import type { Product } from './platform.ts';

/** Longest wait for an order to settle before the harness gives up on it. */
export const SETTLE_TIMEOUT_MS = 60_000;

export type OrderOutcome =
  | { kind: 'confirmed'; to202Ms: number; toConfirmedMs: number; doneAt: number }
  | { kind: 'cancelled'; to202Ms: number; reason: string | null; doneAt: number }
  | { kind: 'refused'; status: number; detail: string; doneAt: number }
  | { kind: 'error'; detail: string; doneAt: number };

export async function checkout(
  api: ApiCall,
  gatewayUrl: string,
  customer: Customer,
  product: Product,
  startAt: number,
): Promise<OrderOutcome> {
  const cardToken = customer.cardTokens.pop() as string;
  const { shopper } = customer;
  try {
    const res = await placeOrder(api, shopper, {
      cardToken,
      addressId: shopper.addressId,
      lines: [{ productId: product.id, quantity: 1 }],
    });
    const to202Ms = performance.now() - startAt;
    if (res.status !== 202) {
      return {
        kind: 'refused',
        status: res.status,
        detail: res.text.slice(0, 300),
        doneAt: performance.now(),
      };
    }
    const stream = await openEventStream<StatusChange>(`${gatewayUrl}${res.body.links.events}`, {
      authorization: `Bearer ${shopper.token}`,
      'x-forwarded-for': shopper.clientIp,
    });
    try {
      if (stream.status !== 200) {
        return {
          kind: 'error',
          detail: `status stream answered ${stream.status}`,
          doneAt: performance.now(),
        };
      }
      const events = await stream.until(
        (seen) => seen.some((e) => e.event === 'status' && isSettled(e.data.status)),
        SETTLE_TIMEOUT_MS,
      );
      const doneAt = performance.now();
      const last = events.find((e) => e.event === 'status' && isSettled(e.data.status))?.data;
      if (last?.status === 'confirmed') {
        return { kind: 'confirmed', to202Ms, toConfirmedMs: doneAt - startAt, doneAt };
      }
      return { kind: 'cancelled', to202Ms, reason: last?.reason ?? null, doneAt };
    } finally {
      stream.close();
    }
  } catch (err) {
    return {
      kind: 'error',
      detail: err instanceof Error ? err.message.slice(0, 300) : String(err),
      doneAt: performance.now(),
    };
  }
}
