// The checkout saga, in one place. The order service orchestrates; the saga's state is the order
// row (status + deadline), keyed by the order id, so a restarted process simply goes on from it.
//
//   step            waits in            forward action (publishes)          compensation
//   1 reserve stock pending             order.placed.v1 → inventory         inventory releases what it
//                                       reserves all lines or none          holds, on order.cancelled.v1
//   2 charge        awaiting_payment    order.payment_requested.v1 →        payment refunds a captured
//     payment                           payment charges the card            charge, on order.cancelled.v1
//   3 confirm       confirmed (final*)  order.confirmed.v1 → inventory      —
//                                       sells, cart clears
//
// Inputs move the order through the state machine (domain/order-status.ts): inventory's and
// payment's answers (consumes.ts), the timeout sweeper (saga/timeouts.ts) and the customer
// (POST /orders/:id/cancel). Whatever cancels the order compensates every step done so far with
// ONE event, order.cancelled.v1: inventory and payment each undo their own part of it (a no-op
// when they hold nothing), so a compensation never depends on knowing how far the others got.
// (*) a confirmed order may still be cancelled by the customer until shipping reports the parcel
// dispatched: refunded. After the saga, shipping's events move it on (consumes.ts): dispatched →
// shipped, delivered → delivered; those moves only record and tell, they publish nothing.
//
// Every function runs inside the caller's transaction (an inbox transaction for events), with the
// order row locked: the change, its timeline entry, the events it publishes and the status
// notification commit together or not at all, and each input takes effect once.
import {
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPaymentRequestedV1,
  OrderPlacedV1,
} from '@shopnow/contracts';
import type pg from 'pg';
import type { OrderContext, SagaSettings } from '../context.ts';
import { decide, type OrderStatus, type SagaInput } from '../domain/order-status.ts';
import { findOrder, type OrderRecord, orderLines, updateOrderState } from '../store/orders.ts';
import { notifyStatus } from '../store/status-notify.ts';
import { recordTransition } from '../store/transitions.ts';

/** Why the order moved: who or what, and the consumed event when one did it. */
export interface Cause {
  /** 'customer', 'admin:<id>', 'event:<type>', 'timeout:<step>'. */
  cause: string;
  eventId?: string | undefined;
}

interface Step {
  /** The status the order is in while this step's answer is awaited (or once it is done). */
  status: OrderStatus;
  /** How long the answer is awaited; null: the step waits for nothing. */
  waitSeconds(settings: SagaSettings): number | null;
  /** Asks the next participant to act: publishes its request in `tx`. */
  forward(tx: pg.ClientBase, ctx: OrderContext, order: OrderRecord): Promise<void>;
}

const money = (order: OrderRecord, amountMinor: number) => ({ amountMinor, currency: order.currency });
const totals = (order: OrderRecord) => ({
  subtotal: money(order, order.subtotalMinor),
  shipping: money(order, order.shippingMinor),
  tax: money(order, order.taxMinor),
  total: money(order, order.totalMinor),
});

export const STEPS = {
  reserveStock: {
    status: 'pending',
    waitSeconds: (s) => s.stockTimeoutSeconds,
    async forward(tx, ctx, order) {
      await ctx.events.publish(tx, OrderPlacedV1, {
        subject: order.id,
        data: {
          orderId: order.id,
          userId: order.userId,
          lines: await orderLines(tx, order),
          ...totals(order),
          placedAt: order.createdAt.toISOString(),
        },
      });
    },
  },
  chargePayment: {
    status: 'awaiting_payment',
    waitSeconds: (s) => s.paymentTimeoutSeconds,
    async forward(tx, ctx, order) {
      await ctx.events.publish(tx, OrderPaymentRequestedV1, {
        subject: order.id,
        data: {
          orderId: order.id,
          userId: order.userId,
          amount: money(order, order.totalMinor),
          cardToken: order.cardToken,
          requestedAt: new Date().toISOString(),
        },
      });
    },
  },
  confirm: {
    status: 'confirmed',
    waitSeconds: () => null,
    async forward(tx, ctx, order) {
      await ctx.events.publish(tx, OrderConfirmedV1, {
        subject: order.id,
        data: {
          orderId: order.id,
          userId: order.userId,
          lines: await orderLines(tx, order),
          ...totals(order),
          shippingAddress: order.shippingAddress,
          confirmedAt: new Date().toISOString(),
          cartId: order.cartId,
        },
      });
    },
  },
} satisfies Record<string, Step>;

const STEP_OF: Partial<Record<OrderStatus, Step>> = {
  pending: STEPS.reserveStock,
  awaiting_payment: STEPS.chargePayment,
  confirmed: STEPS.confirm,
};

/**
 * The compensation of every step done so far, in one event: inventory releases its reservation,
 * payment refunds a captured charge (`refunded`: the order was paid when it was cancelled; payment
 * also refunds a capture that lands after the cancellation).
 */
async function compensate(tx: pg.ClientBase, ctx: OrderContext, order: OrderRecord): Promise<void> {
  await ctx.events.publish(tx, OrderCancelledV1, {
    subject: order.id,
    data: {
      orderId: order.id,
      userId: order.userId,
      reason: order.cancelReason ?? 'cancelled',
      refunded: order.refundDue,
      cancelledAt: order.updatedAt.toISOString(),
    },
  });
}

/** The order was just inserted (status pending, deadline set): step 1 begins. */
export async function startCheckout(tx: pg.ClientBase, ctx: OrderContext, order: OrderRecord): Promise<void> {
  await recordTransition(tx, order.id, {
    from: null,
    to: order.status,
    cause: 'customer',
    reason: null,
    eventId: null,
  });
  await STEPS.reserveStock.forward(tx, ctx, order);
  await tell(tx, order);
}

export type Outcome =
  | { outcome: 'moved'; order: OrderRecord; from: OrderStatus }
  /** The state machine refused the input (a late or repeated answer, a cancel too late). */
  | { outcome: 'refused'; order: OrderRecord; why: string }
  | { outcome: 'unknown_order' };

/** Applies `input` to order `orderId`: locks it, asks the state machine, moves it, acts. */
export async function advanceOrder(
  tx: pg.ClientBase,
  ctx: OrderContext,
  orderId: string,
  input: SagaInput,
  cause: Cause,
): Promise<Outcome> {
  const order = await findOrder(tx, orderId, { forUpdate: true });
  if (order === undefined) return { outcome: 'unknown_order' };
  return advanceLocked(tx, ctx, order, input, cause);
}

/** As advanceOrder, for an order the caller has locked already (the timeout sweeper). */
export async function advanceLocked(
  tx: pg.ClientBase,
  ctx: OrderContext,
  order: OrderRecord,
  input: SagaInput,
  cause: Cause,
): Promise<Outcome> {
  const decision = decide(order.status, input);
  if (!decision.ok) return { outcome: 'refused', order, why: decision.why };
  const next = STEP_OF[decision.to];
  const moved = await updateOrderState(tx, order.id, {
    status: decision.to,
    cancelReason: decision.reason,
    refundDue: decision.refund,
    waitSeconds: next?.waitSeconds(ctx.settings) ?? null,
  });
  await recordTransition(tx, order.id, {
    from: order.status,
    to: moved.status,
    cause: cause.cause,
    reason: decision.reason,
    eventId: cause.eventId ?? null,
  });
  if (next !== undefined) await next.forward(tx, ctx, moved);
  else if (moved.status === 'cancelled') await compensate(tx, ctx, moved);
  await tell(tx, moved);
  return { outcome: 'moved', order: moved, from: order.status };
}

/** Every instance's status streams hear of the change once the transaction commits. */
async function tell(tx: pg.ClientBase, order: OrderRecord): Promise<void> {
  await notifyStatus(tx, {
    orderId: order.id,
    status: order.status,
    version: order.version,
    reason: order.cancelReason,
    at: order.updatedAt.toISOString(),
  });
}
