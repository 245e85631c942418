// The checkout's side of payment over the real bus and against the real card processor (its own
// process): a success, final declines, a processing error retried until it clears, an outage the
// payment waits out, redeliveries that never charge twice, refunds on cancel (also of a capture
// that lands after the cancel), and a cancel before any charge. "Exactly once" is read from the
// processor's own ledger.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  OrderCancelledV1,
  OrderPaymentRequestedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
} from '@shopnow/contracts';
import {
  attemptCodes,
  CARDS,
  eventually,
  handled,
  orderCancelled,
  type PaymentFixture,
  type ProviderProcess,
  paymentOf,
  paymentRequested,
  published,
  publishOnBus,
  startPayment,
  startProviderProcess,
} from './helpers.ts';

let provider: ProviderProcess;
let f: PaymentFixture;
before(async () => {
  provider = await startProviderProcess();
  f = await startPayment(provider.url);
});
after(async () => {
  await f?.close();
  await provider?.close();
});

async function deliver(
  contract: typeof OrderPaymentRequestedV1 | typeof OrderCancelledV1,
  data: { orderId: string; [field: string]: unknown },
  id?: string,
) {
  const eventId = await publishOnBus(f.bus, contract, data.orderId, data, id);
  await eventually(`${contract.type} ${eventId} handled`, () => handled(f.pool, eventId));
  return eventId;
}

async function settled(orderId: string, status: string) {
  await eventually(
    `payment of ${orderId} is ${status}`,
    async () => (await paymentOf(f.pool, orderId))?.status === status,
  );
}

/** A requested payment of a new order by a new user with `card`; `before` runs once the card is tokenized. */
async function request(card: string, amountMinor = 4999, before?: () => Promise<void>) {
  const userId = randomUUID();
  const token = await provider.tokenize(card, userId);
  await before?.();
  const data = paymentRequested(token, userId, amountMinor);
  await deliver(OrderPaymentRequestedV1, data);
  return { ...data, token };
}

describe('charges', () => {
  it('a good card: charged once with the order key, payment.succeeded names the charge', async () => {
    const order = await request(CARDS.succeeds, 12345);
    await settled(order.orderId, 'captured');
    const charges = await provider.charges(order.orderId);
    assert.equal(charges.length, 1);
    assert.deepEqual(
      {
        amount: charges[0]?.amount,
        currency: charges[0]?.currency,
        status: charges[0]?.status,
        customer: charges[0]?.customer,
      },
      { amount: 12345, currency: 'EUR', status: 'succeeded', customer: order.userId },
    );
    const payment = await paymentOf(f.pool, order.orderId);
    const [event] = await published(f.pool, PaymentSucceededV1, order.orderId);
    assert.deepEqual(
      { ...event, succeededAt: undefined },
      {
        orderId: order.orderId,
        paymentId: payment?.id,
        chargeId: charges[0]?.id,
        amount: { amountMinor: 12345, currency: 'EUR' },
        succeededAt: undefined,
      },
    );
    assert.deepEqual(await attemptCodes(f.pool, order.orderId), [
      { kind: 'charge', outcome: 'succeeded', http_status: 201, code: null },
    ]);
  });

  for (const [card, reason] of [
    [CARDS.declined, 'card_declined'],
    [CARDS.insufficientFunds, 'insufficient_funds'],
  ] as const) {
    it(`a decline (${reason}) is final: payment.failed once, never retried`, async () => {
      const order = await request(card);
      await settled(order.orderId, 'failed');
      const [event, ...more] = await published(f.pool, PaymentFailedV1, order.orderId);
      assert.equal(more.length, 0);
      assert.equal(event?.reason, reason);
      assert.equal(event?.retryable, false);
      await sleep(300);
      assert.equal((await attemptCodes(f.pool, order.orderId)).length, 1, 'no retry after a decline');
      assert.deepEqual(await published(f.pool, PaymentSucceededV1, order.orderId), []);
    });
  }

  it("another shopper's token is refused for good: token_invalid", async () => {
    const userId = randomUUID();
    const token = await provider.tokenize(CARDS.succeeds, randomUUID());
    const data = paymentRequested(token, userId);
    await deliver(OrderPaymentRequestedV1, data);
    await settled(data.orderId, 'failed');
    assert.equal((await published(f.pool, PaymentFailedV1, data.orderId))[0]?.reason, 'token_invalid');
    assert.deepEqual(await provider.charges(data.orderId), []);
  });

  it('a processing error is retried (the order waits, nothing is reported) until it clears', async () => {
    const order = await request(CARDS.processingError);
    await eventually(
      'three calls were made',
      async () => (await attemptCodes(f.pool, order.orderId)).length >= 3,
    );
    assert.equal((await paymentOf(f.pool, order.orderId))?.status, 'pending');
    for (const a of await attemptCodes(f.pool, order.orderId)) {
      assert.deepEqual(a, {
        kind: 'charge',
        outcome: 'retry',
        http_status: 502,
        code: 'provider.processing_error',
      });
    }
    assert.deepEqual(await published(f.pool, PaymentFailedV1, order.orderId), []);
    // The processor's trouble clears (played on its own ledger: the token's outcome).
    await provider.db.pool.query(`UPDATE tokens SET outcome = 'succeeds' WHERE id = $1`, [order.token]);
    await settled(order.orderId, 'captured');
    assert.equal((await provider.charges(order.orderId)).length, 1);
    assert.equal((await published(f.pool, PaymentSucceededV1, order.orderId)).length, 1);
  });

  it('the processor down: the payment waits, then completes once it is back, charged exactly once', async () => {
    let order: Awaited<ReturnType<typeof request>>;
    try {
      order = await request(CARDS.succeeds, 2500, () => provider.faults({ down: true }));
      await eventually(
        'several calls failed',
        async () => (await attemptCodes(f.pool, order.orderId)).length >= 3,
      );
      const payment = await paymentOf(f.pool, order.orderId);
      assert.equal(payment?.status, 'pending');
      assert.ok(
        (await attemptCodes(f.pool, order.orderId)).every(
          (a) => a.http_status === 503 && a.code === 'provider.unavailable',
        ),
      );
      assert.deepEqual(await published(f.pool, PaymentFailedV1, order.orderId), []);
    } finally {
      await provider.resetFaults();
    }
    await settled(order.orderId, 'captured');
    const charges = await provider.charges(order.orderId);
    assert.equal(charges.length, 1);
    assert.equal(charges[0]?.amount, 2500);
    assert.equal((await published(f.pool, PaymentSucceededV1, order.orderId)).length, 1);
  });
});

describe('redelivery', () => {
  it('the same event twice takes effect once; a repeated request for the order gets the same answer, no second charge', async () => {
    const userId = randomUUID();
    const token = await provider.tokenize(CARDS.succeeds, userId);
    const data = paymentRequested(token, userId);
    const eventId = await deliver(OrderPaymentRequestedV1, data);
    await deliver(OrderPaymentRequestedV1, data, eventId);
    await settled(data.orderId, 'captured');
    // The order's saga asks again after a restart (another event id).
    await deliver(OrderPaymentRequestedV1, { ...data, requestedAt: new Date().toISOString() });
    const answers = await published(f.pool, PaymentSucceededV1, data.orderId);
    assert.equal(answers.length, 2);
    assert.deepEqual(answers[0], answers[1], 'the same answer again');
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [
      data.orderId,
    ]);
    assert.equal(rows[0].n, 1);
    assert.equal((await provider.charges(data.orderId)).length, 1);
    assert.equal((await attemptCodes(f.pool, data.orderId)).length, 1);
  });

  it('a failed payment asked again answers payment.failed again, without calling the processor', async () => {
    const order = await request(CARDS.declined);
    await settled(order.orderId, 'failed');
    const { token: _token, ...again } = order;
    await deliver(OrderPaymentRequestedV1, again);
    assert.equal((await published(f.pool, PaymentFailedV1, order.orderId)).length, 2);
    assert.equal((await attemptCodes(f.pool, order.orderId)).length, 1);
  });
});

describe('refunds', () => {
  it('order.cancelled.v1 refunds a captured charge in full: payment.refunded', async () => {
    const order = await request(CARDS.succeeds, 7777);
    await settled(order.orderId, 'captured');
    const cancel = orderCancelled(order.orderId, order.userId);
    const cancelId = await deliver(OrderCancelledV1, cancel);
    await settled(order.orderId, 'refunded');
    const [charge] = await provider.charges(order.orderId);
    assert.equal(charge?.amountRefunded, 7777);
    assert.equal(charge?.refunded, true);
    const [event, ...more] = await published(f.pool, PaymentRefundedV1, order.orderId);
    assert.equal(more.length, 0);
    assert.equal(event?.amount && (event.amount as { amountMinor: number }).amountMinor, 7777);
    assert.equal(event?.refundId, (await paymentOf(f.pool, order.orderId))?.refund_id);
    // The cancel redelivered, and another cancel event: still one refund.
    await deliver(OrderCancelledV1, cancel, cancelId);
    await deliver(OrderCancelledV1, { ...cancel, cancelledAt: new Date().toISOString() });
    await sleep(200);
    assert.equal((await published(f.pool, PaymentRefundedV1, order.orderId)).length, 1);
    assert.equal((await provider.charges(order.orderId))[0]?.amountRefunded, 7777);
  });

  it('a capture that lands after the cancel (the call was in flight) is refunded at once', async () => {
    let order: Awaited<ReturnType<typeof request>>;
    try {
      order = await request(CARDS.succeeds, 999, () => provider.faults({ latencyMs: 1200 }));
      await sleep(400); // the charge call is now waiting at the processor
      await deliver(OrderCancelledV1, orderCancelled(order.orderId, order.userId));
      assert.equal((await paymentOf(f.pool, order.orderId))?.status, 'pending');
    } finally {
      await provider.resetFaults();
    }
    await settled(order.orderId, 'refunded');
    assert.equal((await published(f.pool, PaymentSucceededV1, order.orderId)).length, 1);
    assert.equal((await published(f.pool, PaymentRefundedV1, order.orderId)).length, 1);
    const charges = await provider.charges(order.orderId);
    assert.equal(charges.length, 1);
    assert.equal(charges[0]?.amountRefunded, 999);
  });

  it('a cancel while the processor is down abandons the payment: nothing is ever charged', async () => {
    let order: Awaited<ReturnType<typeof request>>;
    try {
      order = await request(CARDS.succeeds, 4999, () => provider.faults({ down: true }));
      await eventually('a call failed', async () => (await attemptCodes(f.pool, order.orderId)).length >= 1);
      await deliver(OrderCancelledV1, orderCancelled(order.orderId, order.userId));
      await settled(order.orderId, 'abandoned');
    } finally {
      await provider.resetFaults();
    }
    await sleep(300);
    assert.deepEqual(await provider.charges(order.orderId), []);
    assert.deepEqual(await published(f.pool, PaymentSucceededV1, order.orderId), []);
  });

  it('a cancel that overtakes the request: the late request is not charged', async () => {
    const userId = randomUUID();
    const token = await provider.tokenize(CARDS.succeeds, userId);
    const data = paymentRequested(token, userId);
    await deliver(OrderCancelledV1, orderCancelled(data.orderId, userId));
    await deliver(OrderPaymentRequestedV1, data);
    await sleep(300);
    assert.equal((await paymentOf(f.pool, data.orderId))?.status, 'abandoned');
    assert.deepEqual(await provider.charges(data.orderId), []);
  });
});
