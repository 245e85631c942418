// The cart's rules without any store: limits (the same as an order's), adding and changing lines,
// merging, re-pricing (idempotent, order-safe, the change shown), what a confirmed order removes,
// totals and idle expiry.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { MAX_ORDER_LINES, MAX_LINE_QUANTITY as ORDER_MAX_QUANTITY } from '@shopnow/contracts';
import { KEY_RETENTION_MS, MAX_APPLIED_KEYS, oncePerKey } from '../src/domain/applied-keys.ts';
import { type Cart, newCart } from '../src/domain/cart.ts';
import {
  addLine,
  clearLines,
  type PricedProduct,
  removeLine,
  setQuantity,
} from '../src/domain/cart-changes.ts';
import { CartRuleError } from '../src/domain/cart-rule-error.ts';
import { hashCartToken, newCartToken } from '../src/domain/cart-token.ts';
import { isIdle } from '../src/domain/expiry.ts';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '../src/domain/limits.ts';
import { mergeCarts } from '../src/domain/merge.ts';
import { removeOrdered, reprice } from '../src/domain/repricing.ts';
import { itemCount, subtotal } from '../src/domain/totals.ts';

const T0 = 1_750_000_000_000;
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const priced = (overrides: Partial<PricedProduct> = {}): PricedProduct => ({
  productId: randomUUID(),
  sku: 'SKU-1',
  name: 'Thing',
  price: usd(1000),
  asOf: T0,
  ...overrides,
});
const userCart = (userId: string = randomUUID()) => newCart({ id: randomUUID(), userId, now: T0 });
const refusedWith = (rule: string) => (err: unknown) => err instanceof CartRuleError && err.rule === rule;

describe('limits', () => {
  it('are the order contract’s, so a cart never holds what checkout refuses', () => {
    assert.equal(MAX_CART_LINES, MAX_ORDER_LINES);
    assert.equal(MAX_LINE_QUANTITY, ORDER_MAX_QUANTITY);
  });

  it('refuse a 101st line, a line above 1000 units, and 0 or fractional quantities', () => {
    let cart = userCart();
    for (let i = 0; i < MAX_CART_LINES; i++) cart = addLine(cart, priced(), 1, T0 + i);
    assert.throws(() => addLine(cart, priced(), 1, T0), refusedWith('cart.too_many_lines'));
    const one = addLine(userCart(), priced({ productId: 'p' }), 999, T0);
    assert.throws(() => addLine(one, priced({ productId: 'p' }), 2, T0), refusedWith('cart.quantity_limit'));
    assert.equal(addLine(one, priced({ productId: 'p' }), 1, T0).lines[0]?.quantity, 1000);
    for (const bad of [0, -1, 1.5, 1001]) {
      assert.throws(() => setQuantity(one, 'p', bad, T0), refusedWith('cart.quantity_limit'));
    }
  });
});

describe('changes', () => {
  it('adding a product twice adds to its line, at the newer catalog price, settling a shown change', () => {
    const p = priced();
    let cart = addLine(userCart(), p, 2, T0 + 1);
    cart = reprice(cart, p.productId, usd(1200), T0 + 5, T0 + 6);
    assert.deepEqual(cart.lines[0]?.priceChangedFrom, usd(1000));
    cart = addLine(cart, { ...p, price: usd(1200), asOf: T0 + 10 }, 3, T0 + 11);
    assert.equal(cart.lines.length, 1);
    assert.equal(cart.lines[0]?.quantity, 5);
    assert.deepEqual(cart.lines[0]?.unitPrice, usd(1200));
    assert.equal(cart.lines[0]?.priceChangedFrom, null);
    assert.equal(cart.activeAt, T0 + 11);
  });

  it('an older catalog answer does not undo a newer price already applied', () => {
    const p = priced();
    let cart = addLine(userCart(), p, 1, T0);
    cart = reprice(cart, p.productId, usd(800), T0 + 100, T0 + 101);
    cart = addLine(cart, { ...p, price: usd(1000), asOf: T0 + 50 }, 1, T0 + 102);
    assert.deepEqual(cart.lines[0]?.unitPrice, usd(800));
  });

  it('refuses a second currency', () => {
    const cart = addLine(userCart(), priced(), 1, T0);
    assert.throws(
      () => addLine(cart, priced({ price: { amountMinor: 5, currency: 'EUR' } }), 1, T0),
      refusedWith('cart.currency_mismatch'),
    );
  });

  it('set quantity, remove and clear; an unknown line is refused', () => {
    const p = priced();
    let cart = addLine(userCart(), p, 1, T0);
    cart = setQuantity(cart, p.productId, 7, T0 + 1);
    assert.equal(itemCount(cart), 7);
    assert.throws(() => setQuantity(cart, 'nope', 1, T0), refusedWith('cart.line_not_found'));
    assert.throws(() => removeLine(cart, 'nope', T0), refusedWith('cart.line_not_found'));
    assert.equal(removeLine(cart, p.productId, T0 + 2).lines.length, 0);
    assert.equal(clearLines(cart, T0 + 3).lines.length, 0);
  });
});

describe('merge', () => {
  it('sums shared products (capped at 1000), keeps the newer price, appends the rest', () => {
    const shared = priced();
    const target = addLine(userCart(), shared, 600, T0);
    const anon = newCart({ id: randomUUID(), tokenHash: hashCartToken(newCartToken()), now: T0 });
    const source = addLine(
      addLine(anon, { ...shared, price: usd(900), asOf: T0 + 9 }, 600, T0 + 1),
      priced(),
      2,
      T0 + 2,
    );
    const merged = mergeCarts(target, source, T0 + 10);
    assert.equal(merged.id, target.id);
    assert.equal(merged.lines.length, 2);
    assert.equal(merged.lines[0]?.quantity, 1000);
    assert.deepEqual(merged.lines[0]?.unitPrice, usd(900));
    assert.equal(merged.lines[1]?.quantity, 2);
  });

  it('refuses a merge that would pass 100 lines', () => {
    let target = userCart();
    let source = newCart({ id: randomUUID(), tokenHash: 'x', now: T0 });
    for (let i = 0; i < 60; i++) {
      target = addLine(target, priced(), 1, T0);
      source = addLine(source, priced(), 1, T0);
    }
    assert.throws(() => mergeCarts(target, source, T0), refusedWith('cart.too_many_lines'));
  });
});

describe('re-pricing', () => {
  it('shows the change; a redelivered or older event, or one for another product, changes nothing', () => {
    const p = priced();
    const cart = addLine(userCart(), p, 2, T0);
    const repriced = reprice(cart, p.productId, usd(1500), T0 + 10, T0 + 11);
    assert.deepEqual(repriced.lines[0]?.unitPrice, usd(1500));
    assert.deepEqual(repriced.lines[0]?.priceChangedFrom, usd(1000));
    assert.equal(repriced.activeAt, cart.activeAt, 'not the customer’s activity');
    assert.equal(repriced.updatedAt, T0 + 11);
    assert.equal(reprice(repriced, p.productId, usd(1500), T0 + 10, T0 + 12), repriced);
    assert.equal(reprice(repriced, p.productId, usd(1300), T0 + 5, T0 + 12), repriced);
    assert.equal(reprice(repriced, randomUUID(), usd(1), T0 + 50, T0 + 51), repriced);
  });

  it('keeps the price the customer chose through several changes, and shows none when it comes back', () => {
    const p = priced();
    let cart = addLine(userCart(), p, 1, T0);
    cart = reprice(cart, p.productId, usd(1100), T0 + 1, T0 + 1);
    cart = reprice(cart, p.productId, usd(1200), T0 + 2, T0 + 2);
    assert.deepEqual(cart.lines[0]?.priceChangedFrom, usd(1000));
    cart = reprice(cart, p.productId, usd(1000), T0 + 3, T0 + 3);
    assert.equal(cart.lines[0]?.priceChangedFrom, null);
  });
});

describe('confirmed orders', () => {
  it('remove the ordered products from their user’s cart only, once', () => {
    const ordered = priced();
    const kept = priced();
    const userId = randomUUID();
    const cart = addLine(addLine(userCart(userId), ordered, 1, T0), kept, 1, T0 + 1);
    const after = removeOrdered(cart, { userId, productIds: [ordered.productId] }, T0 + 5);
    assert.deepEqual(
      after.lines.map((l) => l.productId),
      [kept.productId],
    );
    assert.equal(removeOrdered(after, { userId, productIds: [ordered.productId] }, T0 + 6), after);
    assert.equal(removeOrdered(cart, { userId: randomUUID(), productIds: [ordered.productId] }, T0), cart);
  });
});

describe('totals and expiry', () => {
  it('count units and sum the subtotal; an empty cart sums to 0 in the default currency', () => {
    let cart: Cart = userCart();
    assert.deepEqual(subtotal(cart, 'EUR'), { amountMinor: 0, currency: 'EUR' });
    cart = addLine(cart, priced({ price: usd(250) }), 4, T0);
    cart = addLine(cart, priced({ price: usd(1999) }), 1, T0);
    assert.equal(itemCount(cart), 5);
    assert.deepEqual(subtotal(cart, 'EUR'), usd(2999));
  });

  it('a cart is idle once the idle period has passed since the customer’s last change', () => {
    const cart = userCart();
    const day = 86_400_000;
    assert.equal(isIdle(cart, T0 + 30 * day - 1, 30 * day), false);
    assert.equal(isIdle(cart, T0 + 30 * day, 30 * day), true);
  });
});

describe('Idempotency-Keys of additions', () => {
  const bump = (cart: Cart) => addLine(cart, priced({ productId: 'p-1' }), 1, T0);

  it('forgets a key after the retention, and keeps only the newest keys', () => {
    let cart = userCart();
    const request = { key: 'k', fingerprint: 'f' };
    cart = oncePerKey(bump, request, T0, () => {})(cart);
    let repeated = false;
    assert.equal(
      oncePerKey(bump, request, T0 + KEY_RETENTION_MS - 1, () => {
        repeated = true;
      })(cart),
      cart,
    );
    assert.ok(repeated);
    const later = oncePerKey(bump, request, T0 + KEY_RETENTION_MS, () => {})(cart);
    assert.equal(later.lines[0]?.quantity, 2, 'an expired key is a new request');
    assert.deepEqual(later.appliedKeys, [{ key: 'k', fingerprint: 'f', at: T0 + KEY_RETENTION_MS }]);

    for (let i = 0; i < MAX_APPLIED_KEYS + 5; i++) {
      cart = oncePerKey(
        (c) => c,
        { key: `k${i}`, fingerprint: 'f' },
        T0 + i,
        () => {},
      )(cart);
    }
    assert.equal(cart.appliedKeys.length, MAX_APPLIED_KEYS);
    assert.equal(cart.appliedKeys[0]?.key, 'k5');
  });

  it('refuses a key used with another request, whatever the change', () => {
    const cart = oncePerKey(bump, { key: 'k', fingerprint: 'f' }, T0, () => {})(userCart());
    assert.throws(
      () => oncePerKey(bump, { key: 'k', fingerprint: 'other' }, T0 + 1, () => {})(cart),
      refusedWith('cart.idempotency_key_reused'),
    );
  });

  it('a merge keeps the keys of both carts, newest last', () => {
    const target = { ...userCart(), appliedKeys: [{ key: 'a', fingerprint: 'f', at: T0 + 2 }] };
    const source = { ...userCart(), appliedKeys: [{ key: 'b', fingerprint: 'f', at: T0 + 1 }] };
    assert.deepEqual(
      mergeCarts(target, source, T0 + 3).appliedKeys.map((k) => k.key),
      ['b', 'a'],
    );
  });
});
