// The consumers over the real bus (postgres transport), for either cart store:
// product.price_changed.v1 re-prices every cart holding the product and the change shows; the same
// event delivered twice, or an older one arriving late, changes nothing; order.confirmed.v1 removes
// the ordered products from the order's cart, and never from another user's.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OrderConfirmedV1, ProductPriceChangedV1 } from '@shopnow/contracts';
import type { Transport } from '@shopnow/events';
import {
  anonymousCart,
  type CartFixture,
  customer,
  eventually,
  handled,
  product,
  publishOnBus,
  startCart,
} from './helpers.ts';
import type { TestProduct } from './product-server.ts';

export function eventsContract(
  name: string,
  options: () => Promise<{ redisUrl?: string; stop(): Promise<void> }>,
) {
  describe(`events (${name} store)`, () => {
    let f: CartFixture;
    let bus: Transport;
    let stop: () => Promise<void>;
    before(async () => {
      const opened = await options();
      stop = opened.stop;
      f = await startCart(opened.redisUrl === undefined ? {} : { redisUrl: opened.redisUrl });
      bus = f.newTransport();
      await bus.start();
    });
    after(async () => {
      await bus?.close();
      await f?.close();
      await stop?.();
    });

    const add = (headers: Record<string, string>, productId: string, quantity = 1) =>
      f.app.inject({ method: 'POST', url: '/carts/me/lines', headers, payload: { productId, quantity } });
    const cartOf = async (headers: Record<string, string>) =>
      (await f.app.inject({ method: 'GET', url: '/carts/me', headers })).json();
    async function deliver(
      contract: typeof ProductPriceChangedV1 | typeof OrderConfirmedV1,
      data: unknown,
      opts: { time?: Date } = {},
    ) {
      const eventId = await publishOnBus(bus, contract, {
        source: 'test',
        subject: randomUUID(),
        data,
        ...opts,
      });
      await eventually(`${contract.type} ${eventId} handled`, () => handled(f.pool, eventId));
      return eventId;
    }
    const priceChange = (p: TestProduct, from: number, to: number) => ({
      productId: p.id,
      sku: p.sku,
      oldPrice: { amountMinor: from, currency: 'USD' },
      newPrice: { amountMinor: to, currency: 'USD' },
    });

    it('a price change re-prices every cart holding the product and shows what it was', async () => {
      const [p, other] = f.stock(product({ price: { amountMinor: 1000, currency: 'USD' } }), product());
      const alice = await customer(f);
      const anon = await anonymousCart(f);
      await add(alice.headers, p?.id as string, 2);
      await add(alice.headers, other?.id as string, 1);
      await add(anon.headers, p?.id as string, 1);
      const later = new Date(f.clock.ms + 60_000);
      const eventId = await deliver(ProductPriceChangedV1, priceChange(p as TestProduct, 1000, 1200), {
        time: later,
      });
      for (const headers of [alice.headers, anon.headers]) {
        const line = (await cartOf(headers)).lines.find((l: { productId: string }) => l.productId === p?.id);
        assert.deepEqual(line.unitPrice, { amountMinor: 1200, currency: 'USD' });
        assert.deepEqual(line.priceChangedFrom, { amountMinor: 1000, currency: 'USD' });
      }
      const cart = await cartOf(alice.headers);
      assert.equal(cart.subtotal.amountMinor, 2 * 1200 + 1999);
      assert.equal(
        cart.lines.find((l: { productId: string }) => l.productId === other?.id).priceChangedFrom,
        null,
      );

      // The same event again (a redelivery) and an older change arriving late: nothing moves.
      await publishOnBus(bus, ProductPriceChangedV1, {
        source: 'test',
        subject: p?.id as string,
        data: priceChange(p as TestProduct, 1000, 1200),
        id: eventId,
        time: later,
      });
      await deliver(ProductPriceChangedV1, priceChange(p as TestProduct, 1000, 900), {
        time: new Date(later.getTime() - 1000),
      });
      await f.busIdle();
      assert.deepEqual(await cartOf(alice.headers), cart);

      // Setting the quantity settles the shown change for that line.
      const put = await f.app.inject({
        method: 'PUT',
        url: `/carts/me/lines/${p?.id}`,
        headers: alice.headers,
        payload: { quantity: 3 },
      });
      const settled = put.json().lines.find((l: { productId: string }) => l.productId === p?.id);
      assert.equal(settled.priceChangedFrom, null);
      assert.deepEqual(settled.unitPrice, { amountMinor: 1200, currency: 'USD' });
    });

    it('a confirmed order removes its products from its cart; another user’s cart is untouched', async () => {
      const [ordered, kept] = f.stock(product(), product());
      const alice = await customer(f);
      const bob = await customer(f);
      await add(alice.headers, ordered?.id as string, 2);
      await add(alice.headers, kept?.id as string, 1);
      await add(bob.headers, ordered?.id as string, 1);
      const aliceCart = await cartOf(alice.headers);
      const bobCart = await cartOf(bob.headers);
      const confirmed = (userId: string, cartId: string) => ({
        orderId: randomUUID(),
        userId,
        lines: [
          {
            productId: ordered?.id,
            sku: ordered?.sku,
            name: ordered?.name,
            quantity: 2,
            unitPrice: { amountMinor: 1999, currency: 'USD' },
          },
        ],
        subtotal: { amountMinor: 3998, currency: 'USD' },
        shipping: { amountMinor: 0, currency: 'USD' },
        tax: { amountMinor: 0, currency: 'USD' },
        total: { amountMinor: 3998, currency: 'USD' },
        shippingAddress: {
          recipientName: 'Ada Lovelace',
          line1: '10 Downing Street',
          line2: null,
          city: 'London',
          region: null,
          postalCode: 'SW1A 2AA',
          country: 'GB',
          phone: null,
        },
        confirmedAt: new Date().toISOString(),
        cartId,
      });
      // An order of Alice's naming Bob's cart clears nothing there.
      await deliver(OrderConfirmedV1, confirmed(alice.userId, bobCart.id));
      assert.deepEqual(await cartOf(bob.headers), bobCart);
      await deliver(OrderConfirmedV1, confirmed(alice.userId, aliceCart.id));
      assert.deepEqual(
        (await cartOf(alice.headers)).lines.map((l: { productId: string }) => l.productId),
        [kept?.id],
      );
    });
  });
}
