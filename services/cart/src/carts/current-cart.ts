// Which cart a request is about, and changing it. A user has exactly one cart, made on first use;
// an anonymous caller reaches only the cart its token opens. A cart idle past its time is gone
// from the moment it expires, whether or not the sweeper has deleted it yet.
import { randomUUID } from 'node:crypto';
import type { CartContext } from '../context.ts';
import type { Cart } from '../domain/cart.ts';
import { newCart } from '../domain/cart.ts';
import { isIdle } from '../domain/expiry.ts';
import { asProblem, cartNotFound } from '../errors.ts';
import type { CartChange } from '../store/cart-store.ts';

export type CartOwner = { kind: 'user'; userId: string } | { kind: 'anonymous'; tokenHash: string };

export async function currentCart(ctx: CartContext, owner: CartOwner): Promise<Cart> {
  const now = ctx.now();
  if (owner.kind === 'anonymous') {
    const cart = await ctx.store.findByTokenHash(owner.tokenHash);
    if (cart === undefined) throw cartNotFound();
    if (isIdle(cart, now, ctx.settings.idleMs)) {
      await ctx.store.delete(cart.id);
      throw cartNotFound();
    }
    return cart;
  }
  const cart = await ctx.store.findByUser(owner.userId);
  if (cart !== undefined && !isIdle(cart, now, ctx.settings.idleMs)) return cart;
  if (cart !== undefined) await ctx.store.delete(cart.id);
  return ctx.store.insert(newCart({ id: randomUUID(), userId: owner.userId, now }));
}

/** Applies `change` to the owner's cart; a refusal of the rules becomes its 4xx problem. */
export async function changeCart(ctx: CartContext, owner: CartOwner, change: CartChange): Promise<Cart> {
  // A user's cart deleted between the read and the change (expiry, a concurrent clear by the
  // sweeper) is made again once; an anonymous one is simply gone.
  for (let attempt = 0; attempt < 2; attempt++) {
    const cart = await currentCart(ctx, owner);
    try {
      const changed = await ctx.store.update(cart.id, change);
      if (changed !== undefined) return changed;
    } catch (err) {
      throw asProblem(err);
    }
  }
  throw cartNotFound();
}
