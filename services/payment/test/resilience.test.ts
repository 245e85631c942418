// The processor failing in the ways a network does, against the real processor process: the
// circuit breaker opens after consecutive failures (calls stop reaching the processor) and closes
// when it is back; a charge whose answer was lost (timeout) on an order cancelled meanwhile is
// looked up and refunded, never charged again.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  OrderCancelledV1,
  OrderPaymentRequestedV1,
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
  SECRET,
  startPayment,
  startProviderProcess,
} from './helpers.ts';

let provider: ProviderProcess;
before(async () => {
  provider = await startProviderProcess();
});
after(() => provider?.close());

async function deliver(
  f: PaymentFixture,
  contract: typeof OrderPaymentRequestedV1 | typeof OrderCancelledV1,
  data: { orderId: string; [field: string]: unknown },
) {
  const eventId = await publishOnBus(f.bus, contract, data.orderId, data);
  await eventually(`${contract.type} handled`, () => handled(f.pool, eventId));
}

const statusIs = (f: PaymentFixture, orderId: string, status: string) =>
  eventually(`payment is ${status}`, async () => (await paymentOf(f.pool, orderId))?.status === status);

describe('circuit breaker', () => {
  let f: PaymentFixture;
  before(async () => {
    f = await startPayment(provider.url, {
      PROVIDER_BREAKER_FAILURES: 3,
      PROVIDER_BREAKER_OPEN_MS: 1500,
      PAYMENT_RETRY_MAX_MS: 100,
    });
  });
  after(() => f?.close());

  it('opens after 3 failed calls (the next ones never reach the processor), closes once it answers again', async () => {
    const userId = randomUUID();
    const token = await provider.tokenize(CARDS.succeeds, userId);
    const data = paymentRequested(token, userId, 4200);
    await provider.faults({ down: true });
    try {
      await deliver(f, OrderPaymentRequestedV1, data);
      await eventually('calls are refused by the open circuit', async () =>
        (await attemptCodes(f.pool, data.orderId)).some((a) => a.code === 'circuit_open'),
      );
      const attempts = await attemptCodes(f.pool, data.orderId);
      assert.deepEqual(
        attempts.slice(0, 3).map((a) => [a.http_status, a.code]),
        Array(3).fill([503, 'provider.unavailable']),
      );
      const open = attempts.slice(3);
      assert.ok(
        open.length > 0 && open.every((a) => a.http_status === null && a.code === 'circuit_open'),
        JSON.stringify(attempts),
      );
      assert.equal((await paymentOf(f.pool, data.orderId))?.status, 'pending');
    } finally {
      await provider.resetFaults();
    }
    await statusIs(f, data.orderId, 'captured');
    assert.equal((await provider.charges(data.orderId)).length, 1);
  });
});

describe('a lost answer', () => {
  let f: PaymentFixture;
  before(async () => {
    f = await startPayment(provider.url, { PROVIDER_TIMEOUT_MS: 300, PAYMENT_SETTLE_MS: 1500 });
  });
  after(() => f?.close());

  it('a charge that timed out on a cancelled order is looked up after it settles, and refunded', async () => {
    const userId = randomUUID();
    const token = await provider.tokenize(CARDS.succeeds, userId);
    const data = paymentRequested(token, userId, 3100);
    await provider.faults({ latencyMs: 700 });
    try {
      await deliver(f, OrderPaymentRequestedV1, data);
      await eventually('a call timed out', async () =>
        (await attemptCodes(f.pool, data.orderId)).some((a) => a.code === 'timeout'),
      );
      // The call did reach the processor and charged; only its answer was lost on the way back.
      // This sandbox drops a request whose caller went away, so the test makes that charge itself,
      // with the same key and request the payment sends.
      const made = await fetch(`${provider.url}/v1/charges`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${SECRET}`,
          'content-type': 'application/json',
          'idempotency-key': `order-${data.orderId}-charge`,
        },
        body: JSON.stringify({
          amount: 3100,
          currency: 'EUR',
          token,
          customer: userId,
          description: `ShopNow order ${data.orderId}`,
          metadata: { orderId: data.orderId },
        }),
      });
      assert.equal(made.status, 201, await made.clone().text());
      await deliver(f, OrderCancelledV1, orderCancelled(data.orderId, userId));
    } finally {
      await provider.resetFaults();
    }
    await statusIs(f, data.orderId, 'refunded');
    const charges = await provider.charges(data.orderId);
    assert.equal(charges.length, 1, 'charged once');
    assert.equal(charges[0]?.amountRefunded, 3100);
    assert.equal((await published(f.pool, PaymentSucceededV1, data.orderId)).length, 1);
    assert.equal((await published(f.pool, PaymentRefundedV1, data.orderId)).length, 1);
    const calls = await attemptCodes(f.pool, data.orderId);
    assert.ok(
      calls.some((a) => a.kind === 'lookup' && a.outcome === 'succeeded'),
      JSON.stringify(calls),
    );
  });
});
