import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '@shopnow/testkit';
import { type ApiCall, apiClient, asInjected } from '../src/api-client.ts';
import { type CardProcessor, cardProcessor, netCharged, TEST_CARDS } from '../src/card-processor.ts';
import { type EventStream, openEventStream } from '../src/event-stream.ts';
import { createSandbox, type LauncherRun, type LauncherSandbox, runLauncher } from '../src/index.ts';
import {
  adjustStock,
  isSettled,
  type OrderStatus,
  placeOrder,
  readOrder,
  type StatusChange,
  settledOrder,
  stockOf,
} from '../src/orders.ts';
import { buyableProducts, type Product, serviceUrl } from '../src/shop.ts';
import { demoAdminToken, readPlatformSecrets, registerShopper, type Shopper } from '../src/shoppers.ts';
import { waitUntil } from '../src/wait.ts';

// Checkout through the gateway on one `npm start` (two order replicas) in a private home, as
// customers do it: cart → order (Idempotency-Key) → the saga (reserve stock → charge the card →
// confirm) followed on the status stream; then declines, missing stock, a race for the last unit,
// refused input, idempotency, the stream across replicas and a card processor outage. Stock is
// read as an admin, money from the card processor's own ledger.

const READY = /ShopNow is ready in [\s\S]*Stop\s+Ctrl-C/;
/** Card tokens live this long here (default 15 min), so the expired-token case is reachable in one run. */
const TOKEN_TTL_SECONDS = 60;
const OUTAGE_MS = 30_000;
const ORDER_REPLICAS = 2;

describe('checkout end to end', { timeout: 240_000 }, () => {
  let sandbox: LauncherSandbox;
  let run: LauncherRun | undefined;
  let api: ApiCall;
  let processor: CardProcessor;
  let adminToken: string;
  /** Active products, one set per scenario, so no scenario sees another's stock moves. */
  let products: Product[] = [];
  const take = (): Product => {
    const product = products.shift();
    assert.ok(product, 'more products than the catalog has');
    return product;
  };
  /** A customer with a card token made at the start, expired by the last scenario. */
  let late: { shopper: Shopper; cardToken: string };
  /** Every order this file placed, for the ledger check at the end. */
  const placed = new Set<string>();

  const tokenFor = (shopper: Shopper, card: string = TEST_CARDS.succeeds) =>
    processor.tokenize(card, shopper.userId);
  const stock = (sku: string) => stockOf(api, adminToken, sku);
  const order = async (shopper: Shopper, body: unknown, key?: string | null) => {
    const res = await placeOrder(api, shopper, body, key);
    if (res.status === 202) placed.add(res.body.orderId);
    return res;
  };
  const accepted = async (shopper: Shopper, body: unknown, key?: string) => {
    const res = await order(shopper, body, key);
    assert.equal(res.status, 202, res.text);
    return res.body;
  };
  const follow = (url: string, token: string) =>
    openEventStream<StatusChange>(url, { authorization: `Bearer ${token}` });
  const statusesOf = (stream: EventStream<StatusChange>) =>
    stream.events.filter((e) => e.event === 'status').map((e) => e.data.status);
  const reaches = (stream: EventStream<StatusChange>, status: OrderStatus, timeoutMs = 30_000) =>
    stream.until(() => statusesOf(stream).includes(status), timeoutMs);
  /** `count` new customers, each with a card, placing one order for a unit of `product` at the same time. */
  const buyersAtOnce = async (count: number, product: Product) => {
    const buyers = await Promise.all(Array.from({ length: count }, () => registerShopper(api)));
    const cards = await Promise.all(buyers.map((b) => tokenFor(b)));
    const answers = await Promise.all(
      buyers.map((buyer, i) =>
        accepted(buyer, {
          cardToken: cards[i],
          addressId: buyer.addressId,
          lines: [{ productId: product.id, quantity: 1 }],
        }),
      ),
    );
    return { buyers, answers };
  };
  /** What a customer's orders list holds (GET /api/orders). */
  const myOrders = async (shopper: Shopper) => {
    const res = await api<{ items: Array<{ id: string }> }>('GET', '/api/orders', {
      token: shopper.token,
      clientIp: shopper.clientIp,
    });
    assert.equal(res.status, 200, res.text);
    return res.body.items.map((o) => o.id);
  };

  before(async () => {
    sandbox = await createSandbox();
    sandbox.env.TRUSTED_PROXIES = '127.0.0.0/8'; // each simulated customer has its own X-Forwarded-For
    sandbox.env.TOKEN_TTL_SECONDS = String(TOKEN_TTL_SECONDS); // read by the card processor only
    // Payment's longest wait between two provider calls (default 30 s): an order resumes within a
    // few seconds of the outage's end instead of up to half a minute, keeping the file short.
    sandbox.env.PAYMENT_RETRY_MAX_MS = '3000';
    // Confirmed orders stay confirmed here (no simulated carrier ships them): this file follows
    // checkout; e2e/test/fulfilment.e2e.test.ts follows shipping.
    sandbox.env.CARRIER_STEP_SECONDS = '0';
    api = apiClient(sandbox.gatewayUrl);
    run = runLauncher(sandbox, ['start', '--replicas', `order=${ORDER_REPLICAS}`]);
    await run.waitFor(READY, 150_000);

    const secrets = await readPlatformSecrets(sandbox.home);
    processor = cardProcessor(serviceUrl(sandbox, 'payment-provider'), secrets.paymentProvider);
    adminToken = await demoAdminToken(api, secrets);
    products = await buyableProducts(api, 100);
    const shopper = await registerShopper(api);
    late = { shopper, cardToken: await tokenFor(shopper) };
  });

  after(async () => {
    run?.child.kill('SIGKILL');
    await sandbox?.dispose();
  });

  it('happy path: cart → order → the stream shows each step → confirmed; stock sold, one charge, cart cleared', async () => {
    const alice = await registerShopper(api);
    const [first, second] = [take(), take()];
    const wanted = new Map([
      [first.id, 2],
      [second.id, 1],
    ]);
    for (const [productId, quantity] of wanted) {
      const added = await api('POST', '/api/carts/me/lines', {
        token: alice.token,
        clientIp: alice.clientIp,
        body: { productId, quantity },
      });
      assert.equal(added.status, 200, added.text);
    }
    const cart = await api<{ id: string; lines: unknown[] }>('GET', '/api/carts/me', { token: alice.token });
    assert.equal(cart.status, 200, cart.text);
    assert.equal(cart.body.lines.length, 2);
    const before = { first: await stock(first.sku), second: await stock(second.sku) };
    const cardToken = await tokenFor(alice);

    // No lines in the body: the order takes the cart's.
    const res = await order(alice, { cardToken, addressId: alice.addressId });
    assert.equal(res.status, 202, res.text);
    const { orderId, status, links } = res.body;
    assert.equal(status, 'pending');
    assert.equal(links.events, `/api/orders/${orderId}/events`);
    assert.equal(res.headers.get('location'), `/api/orders/${orderId}`);

    const stream = await follow(`${sandbox.gatewayUrl}${links.events}`, alice.token);
    try {
      assert.equal(stream.status, 200);
      assert.match(String(stream.contentType), /^text\/event-stream/);
      await reaches(stream, 'confirmed');
      // The first event is the status when the stream opened (pending, unless inventory answered
      // within the moment between the 202 and the connection); from there it misses and repeats
      // nothing, and at least one step arrives live.
      const changes = stream.events.map((e) => e.data);
      assert.ok(changes.length >= 2, `a live change: ${JSON.stringify(changes)}`);
      const versions = changes.map((c) => c.version);
      assert.deepEqual(
        versions,
        versions.map((_, i) => versions[0]! + i),
        `consecutive versions: ${JSON.stringify(changes)}`,
      );
      const steps: OrderStatus[] = ['pending', 'awaiting_payment', 'confirmed'];
      assert.deepEqual(
        changes.map((c) => c.status),
        steps.slice(steps.length - changes.length),
      );
      assert.equal(changes[0]!.version, 4 - changes.length, 'versions count transitions from pending = 1');
    } finally {
      stream.close();
    }

    // Each step recorded with its cause (the admin's saga timeline).
    const inspected = await api<{ timeline: Array<{ from: string | null; to: string; cause: string }> }>(
      'GET',
      `/api/admin/orders/${orderId}`,
      { token: adminToken },
    );
    assert.equal(inspected.status, 200, inspected.text);
    assert.deepEqual(
      inspected.body.timeline.map((t) => [t.from, t.to, t.cause]),
      [
        [null, 'pending', 'customer'],
        ['pending', 'awaiting_payment', 'event:inventory.stock_reserved.v1'],
        ['awaiting_payment', 'confirmed', 'event:payment.succeeded.v1'],
      ],
    );

    const confirmed = await readOrder(api, alice, orderId);
    assert.equal(confirmed.status, 'confirmed');
    assert.equal(confirmed.cartId, cart.body.id);
    for (const product of [first, second]) {
      const line = confirmed.lines.find((l) => l.productId === product.id);
      assert.ok(line, `a line for ${product.sku}`);
      assert.equal(line.quantity, wanted.get(product.id));
      assert.deepEqual(line.unitPrice, product.price, 'the catalog price');
    }
    const subtotal = 2 * first.price.amountMinor + second.price.amountMinor;
    assert.equal(confirmed.subtotal.amountMinor, subtotal);
    assert.equal(
      confirmed.total.amountMinor,
      subtotal + confirmed.shipping.amountMinor + confirmed.tax.amountMinor,
    );

    // Inventory sells on order.confirmed.v1 (an event: it may land a moment after the status).
    for (const [product, counts] of [
      [first, before.first],
      [second, before.second],
    ] as const) {
      const quantity = wanted.get(product.id)!;
      await waitUntil(
        `${product.sku} sold`,
        () => stock(product.sku),
        (s) => s.sold === counts.sold + quantity,
      );
      assert.deepEqual(await stock(product.sku), {
        sku: product.sku,
        available: counts.available - quantity,
        reserved: counts.reserved,
        sold: counts.sold + quantity,
      });
      const availability = await api<{ available: number }>(
        'GET',
        `/api/inventory/availability/${encodeURIComponent(product.sku)}`,
      );
      assert.equal(availability.body.available, counts.available - quantity);
    }

    const charges = await processor.charges({ orderId });
    assert.equal(charges.length, 1, JSON.stringify(charges));
    const [charge] = charges;
    assert.equal(charge!.status, 'succeeded');
    assert.equal(charge!.amount, confirmed.total.amountMinor);
    assert.equal(charge!.currency, confirmed.total.currency);
    assert.equal(charge!.customer, alice.userId);
    assert.equal((await processor.token(cardToken)).status, 'used');

    // The cart service clears the cart on order.confirmed.v1.
    const cleared = await waitUntil(
      'the cart cleared',
      () => api<{ lines: unknown[]; itemCount: number }>('GET', '/api/carts/me', { token: alice.token }),
      (r) => r.status === 200 && r.body.lines.length === 0,
    );
    assert.equal(cleared.body.itemCount, 0);

    // The token paid once: a second order with it is refused at once.
    const again = await order(alice, {
      cardToken,
      addressId: alice.addressId,
      lines: [{ productId: first.id, quantity: 1 }],
    });
    assertProblem(asInjected(again), 422, 'order.card_token_invalid');
  });

  it('a declined card cancels the order, releases the reservation and charges nothing', async () => {
    const bob = await registerShopper(api);
    const product = take();
    const before = await stock(product.sku);
    const { orderId } = await accepted(bob, {
      cardToken: await tokenFor(bob, TEST_CARDS.declined),
      addressId: bob.addressId,
      lines: [{ productId: product.id, quantity: 3 }],
    });
    const settled = await settledOrder(api, bob, orderId);
    assert.equal(settled.status, 'cancelled');
    assert.equal(settled.cancelReason, 'card_declined');
    await waitUntil(
      'the reservation released',
      () => stock(product.sku),
      (s) => s.available === before.available && s.reserved === before.reserved,
    );
    assert.deepEqual(await stock(product.sku), before);
    const reservation = await api<{ status: string }>('GET', `/api/admin/inventory/reservations/${orderId}`, {
      token: adminToken,
    });
    assert.equal(reservation.status, 200, reservation.text);
    assert.equal(reservation.body.status, 'released');
    const charges = await processor.charges({ orderId });
    assert.ok(charges.length > 0, 'the decline is in the ledger');
    assert.deepEqual(
      charges.map((c) => c.status),
      charges.map(() => 'failed'),
    );
    assert.equal(netCharged(charges), 0);
  });

  it('out of stock: more than available, or a SKU adjusted to 0 → cancelled, nothing reserved or charged', async () => {
    const carol = await registerShopper(api);
    const [plenty, emptied] = [take(), take()];
    const plentyBefore = await stock(plenty.sku);
    const tooMany = await accepted(carol, {
      cardToken: await tokenFor(carol),
      addressId: carol.addressId,
      lines: [{ productId: plenty.id, quantity: plentyBefore.available + 1 }],
    });

    const emptiedBefore = await stock(emptied.sku);
    await adjustStock(api, adminToken, emptied.sku, -emptiedBefore.available);
    const availability = await api<{ available: number; purchasable: boolean }>(
      'GET',
      `/api/inventory/availability/${encodeURIComponent(emptied.sku)}`,
    );
    assert.deepEqual(availability.body, { sku: emptied.sku, available: 0, purchasable: false });
    const none = await accepted(carol, {
      cardToken: await tokenFor(carol),
      addressId: carol.addressId,
      lines: [
        { productId: plenty.id, quantity: 1 },
        { productId: emptied.id, quantity: 1 },
      ],
    });

    for (const { orderId } of [tooMany, none]) {
      const settled = await settledOrder(api, carol, orderId);
      assert.equal(settled.status, 'cancelled');
      assert.equal(settled.cancelReason, 'out_of_stock');
      assert.deepEqual(await processor.charges({ orderId }), [], 'no charge was even tried');
    }
    // All or nothing: the line that was in stock was not reserved either.
    assert.deepEqual(await stock(plenty.sku), plentyBefore);
    assert.deepEqual(await stock(emptied.sku), { ...emptiedBefore, available: 0 });
  });

  it('bad input through the gateway: 4xx problems, nothing stored, reserved or charged', async () => {
    const [dave, erin, stranger] = await Promise.all([
      registerShopper(api),
      registerShopper(api),
      registerShopper(api),
    ]);
    const [product, retired] = [take(), take()];
    const productBefore = await stock(product.sku);
    const daveCard = await tokenFor(dave);
    const erinCard = await tokenFor(erin);
    const line = { productId: product.id, quantity: 1 };
    const valid = (shopper: Shopper, cardToken: string) => ({ cardToken, addressId: shopper.addressId });

    // Shape: refused by the order service's schema. (Each customer stays under the checkout bucket.)
    for (const quantity of [0, -1]) {
      const res = await order(dave, { ...valid(dave, daveCard), lines: [{ ...line, quantity }] });
      assertProblem(asInjected(res), 400, 'validation_failed');
    }
    const manyLines = Array.from({ length: 10_000 }, () => ({ productId: randomUUID(), quantity: 1 }));
    const huge = await order(dave, { ...valid(dave, daveCard), lines: manyLines });
    assertProblem(asInjected(huge), 400, 'validation_failed');
    const keyless = await order(dave, { ...valid(dave, daveCard), lines: [line] }, null);
    assertProblem(asInjected(keyless), 400, 'order.idempotency_key_required');

    // Rules checked against the catalog, the profile and the card processor.
    const deleted = await api('DELETE', `/api/admin/products/${retired.id}`, { token: adminToken });
    assert.equal(deleted.status, 204, deleted.text);
    const cases: Array<[string, unknown, string]> = [
      [
        'unknown product',
        { ...valid(erin, erinCard), lines: [{ productId: randomUUID(), quantity: 1 }] },
        'order.product_unavailable',
      ],
      [
        'inactive product',
        { ...valid(erin, erinCard), lines: [{ productId: retired.id, quantity: 1 }] },
        'order.product_unavailable',
      ],
      [
        "another customer's address",
        { cardToken: erinCard, addressId: stranger.addressId, lines: [line] },
        'order.address_not_found',
      ],
      [
        "another customer's card token",
        { ...valid(erin, daveCard), lines: [line] },
        'order.card_token_invalid',
      ],
      [
        'an unknown card token',
        { ...valid(erin, 'tok_000000000000000000000000'), lines: [line] },
        'order.card_token_invalid',
      ],
      ['an empty cart', valid(erin, erinCard), 'order.cart_empty'],
    ];
    for (const [what, body, code] of cases) {
      const res = await order(erin, body);
      assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${res.text}`);
      assertProblem(asInjected(res), 422, code);
    }

    for (const shopper of [dave, erin]) {
      assert.deepEqual(await myOrders(shopper), [], 'no order was stored for the refused requests');
      assert.deepEqual(await processor.charges({ customer: shopper.userId }), []);
    }
    for (const card of [daveCard, erinCard]) {
      assert.equal((await processor.token(card)).status, 'active', 'the card token is still unused');
    }
    assert.deepEqual(await stock(product.sku), productBefore, 'nothing reserved');
    const stillThere = await api<{ items: unknown[] }>('GET', '/api/profiles/me/addresses', {
      token: stranger.token,
    });
    assert.equal(stillThere.body.items.length, 1);
  });
  it('idempotency: a replay is the same order, another body is 422, the same key in flight is 409', async () => {
    const frank = await registerShopper(api);
    const product = take();
    const body = {
      cardToken: await tokenFor(frank),
      addressId: frank.addressId,
      lines: [{ productId: product.id, quantity: 1 }],
    };
    const key = randomUUID();
    const first = await order(frank, body, key);
    assert.equal(first.status, 202, first.text);
    const replay = await order(frank, body, key);
    assert.equal(replay.status, 202, replay.text);
    assert.deepEqual(replay.body, first.body, 'the same answer, the same order');
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    const other = await order(frank, { ...body, lines: [{ productId: product.id, quantity: 2 }] }, key);
    assertProblem(asInjected(other), 422, 'idempotency_key_mismatch');

    // In flight: the card processor answers slowly (placement checks the token there, inside the
    // key's transaction), so the second request with the key arrives while the first still runs.
    // 700 ms: well inside order's budget for one call to the processor (half of 3 s).
    const secondBody = { ...body, cardToken: await tokenFor(frank) };
    const secondKey = randomUUID();
    await processor.setFaults({ latencyMs: 700, errorRate: 0, down: false });
    let racing: Awaited<ReturnType<typeof order>>[];
    try {
      racing = await Promise.all([order(frank, secondBody, secondKey), order(frank, secondBody, secondKey)]);
    } finally {
      await processor.resetFaults();
    }
    const won = racing.filter((r) => r.status === 202);
    const refused = racing.filter((r) => r.status !== 202);
    assert.equal(won.length, 1, racing.map((r) => `${r.status} ${r.text}`).join('\n'));
    assertProblem(asInjected(refused[0]!), 409, 'idempotency_in_progress');
    const after = await order(frank, secondBody, secondKey);
    assert.equal(after.status, 202, after.text);
    assert.equal(after.body.orderId, won[0]!.body.orderId, 'once done, the key replays the winner');

    const orderIds = [first.body.orderId, won[0]!.body.orderId];
    assert.deepEqual((await myOrders(frank)).sort(), [...orderIds].sort(), 'two keys, two orders');
    for (const orderId of orderIds) {
      assert.equal((await settledOrder(api, frank, orderId)).status, 'confirmed');
      const charges = await processor.charges({ orderId });
      assert.equal(charges.filter((c) => c.status === 'succeeded').length, 1, JSON.stringify(charges));
    }
  });

  it('two order replicas: a stream open on one sees the changes the other makes', async () => {
    const grace = await registerShopper(api);
    const product = take();
    const replica = (i: number) => serviceUrl(sandbox, 'order', i);
    // Each way round: cancel on one replica (directly, on loopback), watch on the other.
    for (const [writer, watcher] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const { orderId, links } = await accepted(grace, {
        cardToken: await tokenFor(grace),
        addressId: grace.addressId,
        lines: [{ productId: product.id, quantity: 1 }],
      });
      const onWatcher = await follow(`${replica(watcher)}/orders/${orderId}/events`, grace.token);
      const onGateway = await follow(`${sandbox.gatewayUrl}${links.events}`, grace.token);
      try {
        assert.equal(onWatcher.status, 200);
        await reaches(onWatcher, 'confirmed');
        const cancelled = await apiClient(replica(writer))<{ status: string }>(
          'POST',
          `/orders/${orderId}/cancel`,
          { token: grace.token },
        );
        assert.equal(cancelled.status, 200, cancelled.text);
        assert.equal(cancelled.body.status, 'cancelled');
        const seen = await reaches(onWatcher, 'cancelled', 10_000);
        const change = seen.at(-1)!.data;
        assert.equal(change.orderId, orderId);
        assert.equal(change.status, 'cancelled');
        assert.equal(change.reason, 'customer_request');
        await reaches(onGateway, 'cancelled', 10_000);
      } finally {
        onWatcher.close();
        onGateway.close();
      }
      // A confirmed order cancelled by its customer is refunded in full.
      await waitUntil(
        `order ${orderId} refunded`,
        () => processor.charges({ orderId }),
        (charges) => charges.length === 1 && netCharged(charges) === 0,
      );
    }
  });

  it('20 concurrent buyers for the last unit: exactly one order is confirmed and charged', async () => {
    const product = take();
    const before = await stock(product.sku);
    await adjustStock(api, adminToken, product.sku, 1 - before.available);
    const { buyers, answers } = await buyersAtOnce(20, product);
    const settled = await Promise.all(answers.map((a, i) => settledOrder(api, buyers[i]!, a.orderId)));
    const confirmed = settled.filter((o) => o.status === 'confirmed');
    assert.equal(confirmed.length, 1, JSON.stringify(settled.map((o) => [o.status, o.cancelReason])));
    assert.deepEqual(
      settled.filter((o) => o.status !== 'confirmed').map((o) => o.cancelReason),
      Array(19).fill('out_of_stock'),
    );
    const sold = await waitUntil(
      'the last unit sold',
      () => stock(product.sku),
      (s) => s.sold === before.sold + 1,
    );
    assert.deepEqual(sold, { ...before, available: 0, sold: before.sold + 1 });
    for (const o of settled) {
      const charges = await processor.charges({ orderId: o.id });
      assert.equal(netCharged(charges), o.status === 'confirmed' ? o.total.amountMinor : 0);
      assert.equal(charges.length, o.status === 'confirmed' ? 1 : 0, JSON.stringify(charges));
    }
  });

  it('card processor down for 30 s during checkouts: the orders wait, then confirm once, none charged twice', async () => {
    // Placing checks the card token at the processor, so the outage starts right after the 202s,
    // while the saga is still reserving stock (its charge comes after that).
    const { buyers, answers } = await buyersAtOnce(3, take());
    await processor.setFaults({ latencyMs: 0, errorRate: 0, down: true });
    const downAt = Date.now();
    let upAt = 0;
    const streams = await Promise.all(
      answers.map((a, i) => follow(`${sandbox.gatewayUrl}${a.links.events}`, buyers[i]!.token)),
    );
    try {
      await Promise.all(streams.map((s) => reaches(s, 'awaiting_payment', 15_000)));
      // The outage itself: nothing may settle while it lasts.
      await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - Date.now())));
      for (const s of streams) {
        assert.deepEqual(
          statusesOf(s).filter((status) => isSettled(status)),
          [],
          'no order settled during the outage',
        );
      }
      await processor.resetFaults();
      upAt = Date.now();
      await Promise.all(streams.map((s) => reaches(s, 'confirmed', 30_000)));
    } finally {
      if (upAt === 0) await processor.resetFaults();
      for (const s of streams) s.close();
    }
    for (const [i, a] of answers.entries()) {
      const charges = await processor.charges({ orderId: a.orderId });
      assert.equal(charges.length, 1, JSON.stringify(charges));
      assert.equal(charges[0]!.status, 'succeeded');
      assert.ok(Date.parse(charges[0]!.createdAt) >= downAt + OUTAGE_MS - 1000, 'charged after the outage');
      assert.equal(charges[0]!.amount, (await readOrder(api, buyers[i]!, a.orderId)).total.amountMinor);
      // Payment kept trying through the outage (every call recorded) and captured once after it.
      const payments = await api<{ items: Array<{ id: string }> }>(
        'GET',
        `/api/admin/payments?orderId=${a.orderId}`,
        { token: adminToken },
      );
      assert.equal(payments.status, 200, payments.text);
      assert.equal(payments.body.items.length, 1, 'one payment per order');
      const payment = await api<{
        status: string;
        chargeId: string;
        attempts: Array<{ kind: string; outcome: string }>;
      }>('GET', `/api/admin/payments/${payments.body.items[0]!.id}`, { token: adminToken });
      assert.equal(payment.body.chargeId, charges[0]!.id);
      const calls = payment.body.attempts.filter((t) => t.kind === 'charge').map((t) => t.outcome);
      assert.ok(calls.length >= 2 && calls.slice(0, -1).every((o) => o === 'retry'), JSON.stringify(calls));
      assert.equal(calls.at(-1), 'succeeded');
    }
  });

  it('an expired card token is refused with a problem, and no order is stored', async () => {
    const { shopper, cardToken } = late;
    await waitUntil(
      'the card token expired',
      () => processor.token(cardToken),
      (t) => t.status === 'expired',
      { timeoutMs: (TOKEN_TTL_SECONDS + 10) * 1000, intervalMs: 500 },
    );
    const product = take();
    const res = await order(shopper, {
      cardToken,
      addressId: shopper.addressId,
      lines: [{ productId: product.id, quantity: 1 }],
    });
    assertProblem(asInjected(res), 422, 'order.card_token_invalid');
    assert.deepEqual(await myOrders(shopper), []);
  });

  it("the processor's ledger: at most one successful charge per order, none for an order never placed", async () => {
    const all = await processor.charges({});
    const succeeded = new Map<string, number>();
    for (const charge of all.filter((c) => c.status === 'succeeded')) {
      const orderId = charge.metadata.orderId;
      assert.ok(orderId && placed.has(orderId), `charge ${charge.id} belongs to an order placed here`);
      succeeded.set(orderId, (succeeded.get(orderId) ?? 0) + 1);
    }
    assert.deepEqual(
      [...succeeded].filter(([, count]) => count > 1),
      [],
    );
  });
});
