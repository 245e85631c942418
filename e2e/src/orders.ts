// Checkout as a customer drives it through the gateway: place an order (Idempotency-Key), read it,
// wait for it to settle; and the stock counts an admin reads, to see what an order did to them.
import { randomUUID } from 'node:crypto';
import type { ApiCall, ApiResponse } from './api-client.ts';
import type { Shopper } from './shoppers.ts';
import { waitUntil } from './wait.ts';

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface OrderLineInput {
  productId: string;
  quantity: number;
}

export interface PlaceOrderBody {
  cardToken: string;
  addressId: string;
  lines?: OrderLineInput[];
}

export interface Accepted {
  orderId: string;
  status: OrderStatus;
  links: { self: string; events: string };
}

export type OrderStatus =
  | 'pending'
  | 'awaiting_payment'
  | 'confirmed'
  | 'shipped'
  | 'delivered'
  | 'cancelled';

/** Paid for and not cancelled: confirmed, then moved on by its shipment. */
export const isPaid = (status: OrderStatus): boolean =>
  status === 'confirmed' || status === 'shipped' || status === 'delivered';

export interface OrderView {
  id: string;
  userId: string;
  status: OrderStatus;
  cancelReason: string | null;
  subtotal: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  lines: Array<{ productId: string; sku: string; name: string; quantity: number; unitPrice: Money }>;
  cartId: string | null;
  version: number;
}

/** The status stream's event data (GET /api/orders/:id/events, `event: status`). */
export interface StatusChange {
  orderId: string;
  status: OrderStatus;
  version: number;
  reason: string | null;
  at: string;
}

/** The checkout saga is over: paid or cancelled. */
export const isSettled = (status: OrderStatus): boolean => isPaid(status) || status === 'cancelled';

/** POST /api/orders as `shopper` (a fresh Idempotency-Key unless one is given). */
export function placeOrder(
  api: ApiCall,
  shopper: Shopper,
  body: unknown,
  idempotencyKey: string | null = randomUUID(),
): Promise<ApiResponse<Accepted>> {
  return api<Accepted>('POST', '/api/orders', {
    token: shopper.token,
    clientIp: shopper.clientIp,
    body,
    headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey },
  });
}

export async function readOrder(api: ApiCall, shopper: Shopper, orderId: string): Promise<OrderView> {
  const res = await api<OrderView>('GET', `/api/orders/${orderId}`, {
    token: shopper.token,
    clientIp: shopper.clientIp,
  });
  if (res.status !== 200) throw new Error(`order ${orderId}: ${res.status} ${res.text}`);
  return res.body;
}

/** The order once it is paid (confirmed or later) or cancelled (polled: many orders at once, no stream each). */
export function settledOrder(
  api: ApiCall,
  shopper: Shopper,
  orderId: string,
  timeoutMs = 30_000,
): Promise<OrderView> {
  return waitUntil(
    `order ${orderId} settled`,
    () => readOrder(api, shopper, orderId),
    (order) => isSettled(order.status),
    { timeoutMs, intervalMs: 200 },
  );
}

export interface StockCounts {
  sku: string;
  available: number;
  reserved: number;
  sold: number;
}

/** A SKU's counts as an admin reads them (GET /api/admin/inventory/stock/:sku). */
export async function stockOf(api: ApiCall, adminToken: string, sku: string): Promise<StockCounts> {
  const res = await api<StockCounts>('GET', `/api/admin/inventory/stock/${encodeURIComponent(sku)}`, {
    token: adminToken,
  });
  if (res.status !== 200) throw new Error(`stock ${sku}: ${res.status} ${res.text}`);
  const { available, reserved, sold } = res.body;
  return { sku, available, reserved, sold };
}

/** Moves a SKU's available units by `delta` with an admin adjustment (reason recorded). */
export async function adjustStock(
  api: ApiCall,
  adminToken: string,
  sku: string,
  delta: number,
): Promise<void> {
  const res = await api('POST', `/api/admin/inventory/stock/${encodeURIComponent(sku)}/adjustments`, {
    token: adminToken,
    body: { delta, reason: 'e2e checkout test' },
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`adjust ${sku}: ${res.status} ${res.text}`);
}
