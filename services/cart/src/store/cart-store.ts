// Where carts are kept: one interface, two stores (Postgres by default, Redis with REDIS_URL),
// held to the same behaviour by one test suite (test/store-contract.ts). Stores only keep carts
// and change them atomically; every rule is in src/domain.
import type { Cart } from '../domain/cart.ts';

/** A change to apply to the current state; may throw (nothing is saved) or return the cart unchanged (nothing is written). */
export type CartChange = (cart: Cart) => Cart;

export interface CartStore {
  /**
   * Saves a new cart. When its owner (user, or token hash) already has one, nothing is written and
   * that cart is returned instead: two first requests of one user end with one cart.
   */
  insert(cart: Cart): Promise<Cart>;
  findById(id: string): Promise<Cart | undefined>;
  findByUser(userId: string): Promise<Cart | undefined>;
  findByTokenHash(tokenHash: string): Promise<Cart | undefined>;
  /**
   * Applies `change` to the cart's current state atomically (no concurrent change is lost) and
   * resolves to the saved cart, version bumped; undefined when the cart does not exist.
   */
  update(id: string, change: CartChange): Promise<Cart | undefined>;
  /**
   * Atomically saves `combine(target, source)` as the target and deletes the source; undefined
   * (nothing changed) when either is missing.
   */
  merge(
    targetId: string,
    sourceId: string,
    combine: (target: Cart, source: Cart) => Cart,
  ): Promise<Cart | undefined>;
  delete(id: string): Promise<boolean>;
  /** Ids of the carts with a line for the product. */
  cartsHoldingProduct(productId: string): Promise<string[]>;
  /** Deletes up to `limit` carts whose last customer change (activeAt) is at or before `before`; resolves to how many. */
  deleteIdle(before: number, limit: number): Promise<number>;
  /** Resolves when the store can serve (readiness); rejects when its server does not answer. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** A store could not apply a change because others kept changing the cart (Redis: CAS retries ran out). */
export class CartContendedError extends Error {
  constructor(id: string) {
    super(`cart ${id} kept changing; change not applied`);
    this.name = 'CartContendedError';
  }
}

/** The cart about to be saved must respect the line limit in every store (defence in depth). */
export function assertStorable(cart: Cart, maxLines: number): void {
  if (cart.lines.length > maxLines)
    throw new Error(`cart ${cart.id}: ${cart.lines.length} lines exceed ${maxLines}`);
}
