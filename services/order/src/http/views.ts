// Stored rows → response bodies.
import type { OrderLine } from '@shopnow/contracts';
import type { OrderRecord } from '../store/orders.ts';
import type { TransitionRecord } from '../store/transitions.ts';

const money = (order: OrderRecord, amountMinor: number) => ({ amountMinor, currency: order.currency });

/** Where a client follows an order (public paths: through the gateway under `prefix`). */
export function linksOf(prefix: string, orderId: string) {
  const self = `${prefix}/orders/${orderId}`;
  return { self, events: `${self}/events` };
}

export function summaryView(order: OrderRecord) {
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    cancelReason: order.cancelReason,
    total: money(order, order.totalMinor),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function orderView(order: OrderRecord, lines: readonly OrderLine[], prefix: string) {
  return {
    ...summaryView(order),
    subtotal: money(order, order.subtotalMinor),
    shipping: money(order, order.shippingMinor),
    tax: money(order, order.taxMinor),
    refundDue: order.refundDue,
    lines: lines.map((line) => ({
      ...line,
      lineTotal: money(order, line.quantity * line.unitPrice.amountMinor),
    })),
    shippingAddress: order.shippingAddress,
    cartId: order.cartId,
    waitingUntil: order.deadlineAt?.toISOString() ?? null,
    version: order.version,
    links: linksOf(prefix, order.id),
  };
}

export function timelineView(transitions: readonly TransitionRecord[]) {
  return transitions.map((t) => ({ ...t, at: t.at.toISOString() }));
}
