// The behaviour every CartStore must have, run against the real servers by
// store-postgres.test.ts and store-redis.test.ts: lookups by id, user and token; one cart per
// owner even when two requests make it at once; atomic changes (no lost update under
// concurrency, a refused change saves nothing, an unchanged cart writes nothing); merge; delete;
// the product index; the idle sweep; the line limit.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { oncePerKey } from '../src/domain/applied-keys.ts';
import { type Cart, type CartLine, newCart } from '../src/domain/cart.ts';
import { hashCartToken, newCartToken } from '../src/domain/cart-token.ts';
import type { CartStore } from '../src/store/cart-store.ts';

const T0 = 1_750_000_000_000;

function line(overrides: Partial<CartLine> = {}): CartLine {
  return {
    productId: randomUUID(),
    sku: 'SKU-1',
    name: 'A thing',
    quantity: 2,
    unitPrice: { amountMinor: 1250, currency: 'USD' },
    priceChangedFrom: null,
    priceAsOf: T0,
    addedAt: T0,
    ...overrides,
  };
}

// Lines come back in the order they were added (addedAt, then product id) from every store.
const byAdded = (lines: CartLine[]) =>
  lines.toSorted((a, b) => a.addedAt - b.addedAt || (a.productId < b.productId ? -1 : 1));
const userCart = (userId: string = randomUUID(), now = T0) => newCart({ id: randomUUID(), userId, now });
const anonymousCart = (now = T0) =>
  newCart({ id: randomUUID(), tokenHash: hashCartToken(newCartToken()), now });

export function storeContract(
  name: string,
  open: () => Promise<{ store: CartStore; close(): Promise<void> }>,
) {
  describe(`${name} cart store`, () => {
    let store: CartStore;
    let close: () => Promise<void>;
    before(async () => {
      ({ store, close } = await open());
    });
    after(async () => {
      await close?.();
    });

    it('finds a cart by id, by user and by token hash, with every field as saved', async () => {
      const cart: Cart = {
        ...userCart(),
        lines: [
          line({
            priceChangedFrom: { amountMinor: 999, currency: 'USD' },
            priceAsOf: T0 + 5,
            addedAt: T0 + 1,
          }),
          line({ quantity: 1000, unitPrice: { amountMinor: 0, currency: 'USD' }, addedAt: T0 + 2 }),
        ],
        createdAt: T0,
        updatedAt: T0 + 3,
        activeAt: T0 + 2,
        appliedKeys: [{ key: 'k-1', fingerprint: 'f-1', at: T0 + 1 }],
      };
      assert.deepEqual(await store.insert(cart), cart);
      assert.deepEqual(await store.findById(cart.id), cart);
      assert.deepEqual(await store.findByUser(cart.userId as string), cart);
      const anon = anonymousCart();
      await store.insert(anon);
      assert.deepEqual(await store.findByTokenHash(anon.tokenHash as string), anon);
      assert.equal(await store.findById(randomUUID()), undefined);
      assert.equal(await store.findById('not-a-uuid'), undefined);
      assert.equal(await store.findByUser(randomUUID()), undefined);
      assert.equal(await store.findByTokenHash(hashCartToken(newCartToken())), undefined);
    });

    it('keeps one cart per user: a second insert, even concurrent, answers the first cart', async () => {
      const userId = randomUUID();
      const attempts = Array.from({ length: 8 }, () => userCart(userId));
      const results = await Promise.all(attempts.map((cart) => store.insert(cart)));
      const ids = new Set(results.map((cart) => cart.id));
      assert.equal(ids.size, 1, 'every request got the same cart');
      assert.equal((await store.findByUser(userId))?.id, [...ids][0]);
    });

    it('update applies a change atomically and bumps the version; 25 concurrent changes all land', async () => {
      const cart = await store.insert({ ...userCart(), lines: [line({ quantity: 1 })] });
      const productId = cart.lines[0]?.productId as string;
      const bump = (c: Cart): Cart => ({
        ...c,
        lines: c.lines.map((l) => (l.productId === productId ? { ...l, quantity: l.quantity + 1 } : l)),
      });
      await Promise.all(Array.from({ length: 25 }, () => store.update(cart.id, bump)));
      const after = await store.findById(cart.id);
      assert.equal(after?.lines[0]?.quantity, 26, 'no change was lost');
      assert.equal(after?.version, cart.version + 25);
    });

    it('an addition under an Idempotency-Key lands once, even sent 10 times at once', async () => {
      const cart = await store.insert({ ...userCart(), lines: [line({ quantity: 1 })] });
      const bump = (c: Cart): Cart => ({
        ...c,
        lines: c.lines.map((l) => ({ ...l, quantity: l.quantity + 1 })),
      });
      const keyed = oncePerKey(bump, { key: 'retry-1', fingerprint: 'f' }, T0 + 10, () => {});
      await Promise.all(Array.from({ length: 10 }, () => store.update(cart.id, keyed)));
      const after = await store.findById(cart.id);
      assert.equal(after?.lines[0]?.quantity, 2, 'added once');
      assert.equal(after?.version, cart.version + 1, 'the repeats wrote nothing');
      assert.deepEqual(after?.appliedKeys, [{ key: 'retry-1', fingerprint: 'f', at: T0 + 10 }]);
    });

    it('a change that throws saves nothing; one that returns the cart unchanged writes nothing', async () => {
      const cart = await store.insert({ ...userCart(), lines: [line()] });
      await assert.rejects(
        store.update(cart.id, (c) => {
          void c;
          throw new Error('refused');
        }),
        /refused/,
      );
      assert.deepEqual(await store.findById(cart.id), cart);
      const same = await store.update(cart.id, (c) => c);
      assert.equal(same?.version, cart.version);
      assert.deepEqual(await store.findById(cart.id), cart);
      assert.equal(await store.update(randomUUID(), (c) => c), undefined);
    });

    it('refuses to save more than 100 lines, in insert and update, leaving the cart as it was', async () => {
      const many = Array.from({ length: 101 }, () => line());
      await assert.rejects(store.insert({ ...userCart(), lines: many }));
      const cart = await store.insert({ ...userCart(), lines: many.slice(0, 100) });
      assert.equal((await store.findById(cart.id))?.lines.length, 100);
      await assert.rejects(store.update(cart.id, (c) => ({ ...c, lines: many })));
      assert.equal((await store.findById(cart.id))?.lines.length, 100);
    });

    it('merge saves the combination as the target and deletes the source with its token', async () => {
      const shared = randomUUID();
      const target = await store.insert({ ...userCart(), lines: [line({ productId: shared, quantity: 1 })] });
      const source = await store.insert({
        ...anonymousCart(),
        lines: byAdded([line({ productId: shared, quantity: 3 }), line()]),
      });
      const merged = await store.merge(target.id, source.id, (t, s) => ({
        ...t,
        lines: byAdded([...t.lines, ...s.lines.filter((l) => l.productId !== shared)]),
        updatedAt: T0 + 10,
        activeAt: T0 + 10,
      }));
      assert.equal(merged?.lines.length, 2);
      assert.equal(merged?.version, target.version + 1);
      assert.deepEqual(await store.findById(target.id), merged);
      assert.equal(await store.findById(source.id), undefined);
      assert.equal(await store.findByTokenHash(source.tokenHash as string), undefined);
      assert.deepEqual(await store.cartsHoldingProduct(shared), [target.id]);
    });

    it('merge with a missing cart, or a combination that throws, changes nothing', async () => {
      const target = await store.insert({ ...userCart(), lines: [line()] });
      const source = await store.insert({ ...anonymousCart(), lines: [line({ addedAt: T0 + 1 })] });
      assert.equal(await store.merge(target.id, randomUUID(), (t) => t), undefined);
      await assert.rejects(
        store.merge(target.id, source.id, () => {
          throw new Error('too many lines');
        }),
      );
      assert.deepEqual(await store.findById(target.id), target);
      assert.deepEqual(await store.findById(source.id), source);
    });

    it('the product index follows lines added and removed, and deleted carts', async () => {
      const productId = randomUUID();
      const a = await store.insert({ ...userCart(), lines: [line({ productId })] });
      const b = await store.insert(anonymousCart());
      assert.deepEqual(await store.cartsHoldingProduct(productId), [a.id]);
      await store.update(b.id, (c) => ({ ...c, lines: [line({ productId })] }));
      assert.deepEqual(await store.cartsHoldingProduct(productId), [a.id, b.id].sort());
      await store.update(a.id, (c) => ({ ...c, lines: [] }));
      assert.deepEqual(await store.cartsHoldingProduct(productId), [b.id]);
      assert.equal(await store.delete(b.id), true);
      assert.equal(await store.delete(b.id), false);
      assert.deepEqual(await store.cartsHoldingProduct(productId), []);
      assert.equal(await store.findByTokenHash(b.tokenHash as string), undefined);
    });

    it('deleteIdle removes carts inactive since `before` (at most `limit`), and their owners get new carts', async () => {
      const base = T0 + 1_000_000_000; // after every other test's carts
      const old = await Promise.all(
        [1, 2, 3].map((i) => store.insert({ ...userCart(randomUUID(), base + i), lines: [line()] })),
      );
      const fresh = await store.insert(userCart(randomUUID(), base + 100));
      const deletedFirst = await store.deleteIdle(base + 3, 2);
      assert.equal(deletedFirst, 2);
      const deletedRest = await store.deleteIdle(base + 3, 100);
      assert.ok(deletedRest >= 1, 'the third old cart (and any older leftovers) go');
      for (const cart of old) {
        assert.equal(await store.findById(cart.id), undefined);
        assert.equal(await store.findByUser(cart.userId as string), undefined);
      }
      assert.deepEqual(await store.findById(fresh.id), fresh);
      const again = await store.insert(userCart(old[0]?.userId as string, base + 200));
      assert.equal((await store.findByUser(old[0]?.userId as string))?.id, again.id);
    });

    it('deleteIdle leaves a cart that became active again', async () => {
      const base = T0 + 2_000_000_000;
      const cart = await store.insert(userCart(randomUUID(), base));
      const idle = await store.insert(userCart(randomUUID(), base + 5));
      await store.update(cart.id, (c) => ({ ...c, activeAt: base + 50, updatedAt: base + 50 }));
      await store.deleteIdle(base + 10, 100);
      assert.equal(await store.findById(idle.id), undefined);
      assert.ok(await store.findById(cart.id), 'the cart active again stays');
    });
  });
}
