import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiCall, apiClient } from '../src/api-client.ts';
import { type CardProcessor, cardProcessor, TEST_CARDS } from '../src/card-processor.ts';
import { createSandbox, type LauncherRun, type LauncherSandbox, runLauncher } from '../src/index.ts';
import { type Mailbox, mailbox, tokenInLink } from '../src/mailbox.ts';
import { adjustStock, type OrderView, placeOrder, readOrder, settledOrder, stockOf } from '../src/orders.ts';
import { buyableProducts, type Product, serviceUrl } from '../src/shop.ts';
import {
  demoAdminToken,
  newClientIp,
  readPlatformSecrets,
  registerShopper,
  type Shopper,
} from '../src/shoppers.ts';
import { waitUntil } from '../src/wait.ts';

// After checkout, through the gateway on one `npm start`: the shipment of a confirmed order moved
// to delivered by an admin (the carrier simulator is off here, so each step is the test's), with
// the order's status, the customer's inbox and emails following; the public tracking page; a
// password reset from the email to the new password; and marketing that respects an opt-out.
// Emails are read in the developer mailbox, as a developer reads them on `npm start`.

interface Shipment {
  id: string;
  orderId: string;
  status: string;
  trackingNumber: string;
  destination: { city: string; country: string };
}

interface InboxItem {
  kind: string;
  title: string;
  readAt: string | null;
}

const READY = /ShopNow is ready in [\s\S]*Stop\s+Ctrl-C/;
const STREET = '7 Parcel Lane';
const CITY = 'Hamburg';
const POSTAL_CODE = '20095';
const NEW_PASSWORD = 'a brand new passphrase 2026';

describe('fulfilment and notifications end to end', { timeout: 240_000 }, () => {
  let sandbox: LauncherSandbox;
  let run: LauncherRun | undefined;
  let api: ApiCall;
  let processor: CardProcessor;
  let mail: Mailbox;
  let adminToken: string;
  let products: Product[] = [];

  const as = (shopper: Shopper) => ({ token: shopper.token, clientIp: shopper.clientIp });

  /** A new customer whose address is in CITY; one unit of a product, paid: the confirmed order. */
  const confirmedOrder = async (): Promise<{ shopper: Shopper; order: OrderView }> => {
    const shopper = await registerShopper(api);
    const address = await api<{ id: string }>('POST', '/api/profiles/me/addresses', {
      ...as(shopper),
      body: {
        recipientName: 'Parcel Person',
        line1: STREET,
        city: CITY,
        postalCode: POSTAL_CODE,
        country: 'DE',
      },
    });
    assert.equal(address.status, 201, address.text);
    const product = products.shift();
    assert.ok(product, 'a product left to buy');
    const cardToken = await processor.tokenize(TEST_CARDS.succeeds, shopper.userId);
    const placed = await placeOrder(api, shopper, {
      cardToken,
      addressId: address.body.id,
      lines: [{ productId: product.id, quantity: 1 }],
    });
    assert.equal(placed.status, 202, placed.text);
    const order = await settledOrder(api, shopper, placed.body.orderId);
    assert.equal(order.status, 'confirmed', JSON.stringify(order));
    return { shopper, order };
  };

  const inboxOf = async (shopper: Shopper) => {
    const res = await api<{ items: InboxItem[]; unreadCount: number }>('GET', '/api/inbox', as(shopper));
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  const setPreferences = async (shopper: Shopper, preferences: Record<string, unknown>) => {
    const res = await api('PATCH', '/api/profiles/me/preferences', { ...as(shopper), body: preferences });
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    sandbox = await createSandbox();
    sandbox.env.TRUSTED_PROXIES = '127.0.0.0/8'; // each simulated customer has its own X-Forwarded-For
    // The admin moves each shipment here; the simulator's own steps are tested in services/shipping.
    sandbox.env.CARRIER_STEP_SECONDS = '0';
    api = apiClient(sandbox.gatewayUrl);
    run = runLauncher(sandbox, ['start']);
    const ready = await run.waitFor(READY, 150_000);
    const notificationUrl = serviceUrl(sandbox, 'notification');
    assert.match(
      ready[0],
      new RegExp(`Mailbox\\s+${notificationUrl}/dev/mailbox`),
      'npm start names the mailbox',
    );
    mail = mailbox(notificationUrl);

    const secrets = await readPlatformSecrets(sandbox.home);
    processor = cardProcessor(serviceUrl(sandbox, 'payment-provider'), secrets.paymentProvider);
    adminToken = await demoAdminToken(api, secrets);
    products = await buyableProducts(api, 10);
  });

  after(async () => {
    run?.child.kill('SIGKILL');
    await sandbox?.dispose();
  });

  it('a confirmed order ships to delivered: order status, inbox and emails follow; cancelling once shipped is refused', async () => {
    const { shopper, order } = await confirmedOrder();

    // The confirmation email: the order's reference, its total and where it goes, exactly once.
    const [confirmation] = await mail.waitFor(shopper.email, 'order_confirmed');
    const text = confirmation!.text ?? '';
    assert.ok(text.includes(order.id), text);
    assert.ok(
      text.includes((order.total.amountMinor / 100).toFixed(2)),
      `total ${order.total.amountMinor} in ${text}`,
    );
    assert.ok(text.includes(STREET) && text.includes(CITY), text);

    const shipment = await waitUntil(
      'the shipment of the order',
      () => api<Shipment>('GET', `/api/shipments/by-order/${order.id}`, as(shopper)),
      (r) => r.status === 200,
    ).then((r) => r.body);
    assert.equal(shipment.status, 'scheduled');
    assert.deepEqual(shipment.destination, { city: CITY, country: 'DE' });
    await mail.waitFor(shopper.email, 'shipment_scheduled');

    const advance = async (to: string) => {
      const res = await api<{ status: string }>('POST', `/api/admin/shipments/${shipment.id}/advance`, {
        token: adminToken,
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, to);
    };
    await advance('picked_up');
    await advance('in_transit');
    const shipped = await waitUntil(
      'the order shipped',
      () => readOrder(api, shopper, order.id),
      (o) => o.status === 'shipped',
    );
    assert.equal(shipped.status, 'shipped');

    const refused = await api<{ type: string; code?: string; detail?: string }>(
      'POST',
      `/api/orders/${order.id}/cancel`,
      as(shopper),
    );
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.match(refused.text, /not_cancellable/);

    await advance('out_for_delivery');
    await advance('delivered');
    await waitUntil(
      'the order delivered',
      () => readOrder(api, shopper, order.id),
      (o) => o.status === 'delivered',
    );
    await mail.waitFor(shopper.email, 'shipment_dispatched');
    await mail.waitFor(shopper.email, 'shipment_delivered');

    const inbox = await waitUntil(
      'the inbox to hold every step',
      () => inboxOf(shopper),
      (b) => b.items.some((i) => i.kind === 'shipment_delivered'),
    );
    const kinds = new Set(inbox.items.map((i) => i.kind));
    for (const kind of [
      'order_placed',
      'order_confirmed',
      'shipment_scheduled',
      'shipment_dispatched',
      'shipment_delivered',
    ]) {
      assert.ok(kinds.has(kind), `${kind} in the inbox: ${[...kinds].join(', ')}`);
    }
    assert.equal(inbox.unreadCount, inbox.items.length);
    const read = await api<{ marked: number }>('POST', '/api/inbox/read-all', as(shopper));
    assert.equal(read.status, 200, read.text);
    assert.equal((await inboxOf(shopper)).unreadCount, 0);

    // One email per step, whatever was redelivered on the way.
    const emails = await mail.emailsTo(shopper.email);
    for (const kind of [
      'order_confirmed',
      'shipment_scheduled',
      'shipment_dispatched',
      'shipment_delivered',
    ]) {
      assert.equal(emails.filter((e) => e.kind === kind).length, 1, `one ${kind} email`);
    }

    // The public tracking page: anyone with the number sees status and cities, nothing personal.
    const tracking = await api<{ status: string; history: Array<{ status: string; location: unknown }> }>(
      'GET',
      `/api/tracking/${shipment.trackingNumber}`,
      { clientIp: newClientIp() },
    );
    assert.equal(tracking.status, 200, tracking.text);
    assert.equal(tracking.body.status, 'delivered');
    assert.deepEqual(
      tracking.body.history.map((s) => s.status),
      ['scheduled', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered'],
    );
    for (const step of tracking.body.history) {
      if (step.location !== null)
        assert.deepEqual(Object.keys(step.location as object).sort(), ['city', 'country']);
    }
    assert.ok(
      tracking.body.history.some((s) => JSON.stringify(s.location).includes(CITY)),
      tracking.text,
    );
    for (const personal of [STREET, POSTAL_CODE, 'Parcel Person', shopper.email, shopper.userId, order.id]) {
      assert.ok(!tracking.text.includes(personal), `tracking shows ${personal}: ${tracking.text}`);
    }
    const unknown = await api('GET', '/api/tracking/SN0000000000000000', { clientIp: newClientIp() });
    assert.equal(unknown.status, 404, unknown.text);
  });

  it('password reset: the email link token sets a new password, which works; the old one and old sessions do not', async () => {
    const shopper = await registerShopper(api);
    const oldPassword = 'correct horse battery staple 42'; // registerShopper's
    const session = await api<{ accessToken: string; refreshToken: string }>('POST', '/api/auth/login', {
      clientIp: shopper.clientIp,
      body: { email: shopper.email, password: oldPassword },
    });
    assert.equal(session.status, 200, session.text);

    const requested = await api('POST', '/api/auth/password-reset/request', {
      clientIp: newClientIp(),
      body: { email: shopper.email },
    });
    assert.equal(requested.status, 202, requested.text);
    const [email] = await mail.waitFor(shopper.email, 'password_reset');
    const token = tokenInLink(email!.text ?? '', '/reset-password');
    assert.ok(email!.html?.includes('/reset-password?token='), 'the HTML carries the link too');

    const confirmed = await api('POST', '/api/auth/password-reset/confirm', {
      clientIp: newClientIp(),
      body: { token, newPassword: NEW_PASSWORD },
    });
    assert.ok(confirmed.status === 200 || confirmed.status === 204, confirmed.text);
    const again = await api('POST', '/api/auth/password-reset/confirm', {
      clientIp: newClientIp(),
      body: { token, newPassword: 'yet another passphrase 2026' },
    });
    assert.ok(again.status >= 400 && again.status < 500, `a used token: ${again.status} ${again.text}`);

    const login = (password: string) =>
      api<{ accessToken: string }>('POST', '/api/auth/login', {
        clientIp: newClientIp(),
        body: { email: shopper.email, password },
      });
    assert.equal((await login(NEW_PASSWORD)).status, 200);
    assert.equal((await login(oldPassword)).status, 401);

    // The sessions from before the reset are over: their refresh token is refused at once, their
    // access token once the revocation reaches the gateway (within seconds).
    const refreshed = await api('POST', '/api/auth/refresh', {
      clientIp: newClientIp(),
      body: { refreshToken: session.body.refreshToken },
    });
    assert.equal(refreshed.status, 401, refreshed.text);
    await waitUntil(
      'the old access token refused',
      () => api('GET', '/api/users/me', { token: session.body.accessToken, clientIp: shopper.clientIp }),
      (r) => r.status === 401,
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    await mail.waitFor(shopper.email, 'password_changed');
  });

  it('marketing reaches only those who opted in; an opted-out customer still gets order messages', async () => {
    const fan = await registerShopper(api);
    await setPreferences(fan, { marketingOptIn: true, channels: ['email', 'in_app'] });
    const { shopper: quiet } = await confirmedOrder(); // opted out: the default
    await setPreferences(quiet, { marketingOptIn: false });
    // A promotion goes to the customers notification knows of when it is sent: both are known
    // once an email reached them (the fan's address verification, the other's order).
    await mail.waitFor(fan.email, 'verify_email');
    await mail.waitFor(quiet.email, 'order_confirmed');

    const promotion = await api<{ promotionId: string; messages: number }>('POST', '/api/admin/promotions', {
      token: adminToken,
      body: { headline: 'Winter sale', body: 'Everything warm at half price.' },
    });
    assert.equal(promotion.status, 202, promotion.text);
    const [sale] = await mail.waitFor(fan.email, 'promotion');
    assert.ok(sale!.text?.includes('Everything warm at half price.'), sale!.text ?? '');
    await waitUntil(
      'the promotion in the fan’s inbox',
      () => inboxOf(fan),
      (b) => b.items.some((i) => i.kind === 'promotion'),
    );

    // The opted-out customer's next order message is prepared after the promotion's was decided.
    const cancelled = await api('POST', `/api/orders/${(await latestOrderOf(quiet)).id}/cancel`, as(quiet));
    assert.equal(cancelled.status, 200, cancelled.text);
    await mail.waitFor(quiet.email, 'order_cancelled');
    const quietMail = await mail.emailsTo(quiet.email);
    assert.ok(
      quietMail.some((e) => e.kind === 'order_confirmed'),
      'order messages still come',
    );
    assert.ok(!quietMail.some((e) => e.kind === 'promotion'), 'no marketing email');
    assert.ok(!(await inboxOf(quiet)).items.some((i) => i.kind === 'promotion'), 'no marketing in the inbox');
  });

  it('back in stock: a customer who asked about a sold-out product gets one email and inbox item when it returns', async () => {
    const shopper = await registerShopper(api);
    const product = products.at(-1) as Product;
    const { available } = await stockOf(api, adminToken, product.sku);
    if (available > 0) await adjustStock(api, adminToken, product.sku, -available); // sold out
    const asked = await api<{ productId: string; name: string }>(
      'PUT',
      `/api/stock-alerts/${product.id}`,
      as(shopper),
    );
    assert.equal(asked.status, 201, asked.text);
    assert.equal(asked.body.name, product.name);

    await adjustStock(api, adminToken, product.sku, 5); // back
    const [email] = await mail.waitFor(shopper.email, 'back_in_stock');
    assert.equal(email!.subject, `${product.name} is back in stock`);
    await waitUntil(
      'the alert in the inbox',
      () => inboxOf(shopper),
      (b) => b.items.some((i) => i.kind === 'back_in_stock'),
    );
    const left = await api<{ items: unknown[] }>('GET', '/api/stock-alerts', as(shopper));
    assert.deepEqual(left.body.items, [], 'the alert was used up');
    if (available > 0) await adjustStock(api, adminToken, product.sku, available); // stock for the tests after
  });

  const latestOrderOf = async (shopper: Shopper) => {
    const res = await api<{ items: OrderView[] }>('GET', '/api/orders', as(shopper));
    assert.equal(res.status, 200, res.text);
    const [latest] = res.body.items;
    assert.ok(latest, 'an order');
    return latest;
  };
});
