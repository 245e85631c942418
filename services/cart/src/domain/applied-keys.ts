// The Idempotency-Key of a change that is not idempotent by itself (adding units): kept on the cart,
// so the key and the change it guards are saved together, atomically, by either store. A repeat
// within the retention changes nothing; the same key with another request is refused.
import type { Cart } from './cart.ts';
import { CartRuleError } from './cart-rule-error.ts';

export interface AppliedKey {
  key: string;
  /** Digest of the request the key was first used with. */
  fingerprint: string;
  at: number;
}

/** How long a key is remembered: a client retries within minutes, not days. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Keys kept per cart at most (the newest): bounds the cart's size whatever a client sends. */
export const MAX_APPLIED_KEYS = 50;

export interface KeyedRequest {
  key: string;
  fingerprint: string;
}

/**
 * `change` applied once per key: a repeat returns the cart unchanged (so nothing is written) and
 * calls `onRepeat`; a key used with another request throws `cart.idempotency_key_reused`.
 */
export function oncePerKey(
  change: (cart: Cart) => Cart,
  request: KeyedRequest,
  now: number,
  onRepeat: () => void,
): (cart: Cart) => Cart {
  return (cart) => {
    if (isRepeat(cart, request, now)) {
      onRepeat();
      return cart;
    }
    const live = cart.appliedKeys.filter((applied) => applied.at > now - KEY_RETENTION_MS);
    const changed = change(cart);
    const remembered = [...live, { key: request.key, fingerprint: request.fingerprint, at: now }];
    return { ...changed, appliedKeys: remembered.slice(-MAX_APPLIED_KEYS) };
  };
}

/**
 * Whether the cart already took this request (its key, within the retention); the key used with
 * another request throws `cart.idempotency_key_reused`.
 */
export function isRepeat(cart: Cart, request: KeyedRequest, now: number): boolean {
  const previous = cart.appliedKeys.find(
    (applied) => applied.key === request.key && applied.at > now - KEY_RETENTION_MS,
  );
  if (previous === undefined) return false;
  if (previous.fingerprint !== request.fingerprint) {
    throw new CartRuleError(
      'cart.idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    );
  }
  return true;
}

/** A merge keeps both carts' keys, so a retry after signing in still finds its key. */
export function mergedKeys(target: Cart, source: Cart): AppliedKey[] {
  return [...target.appliedKeys, ...source.appliedKeys]
    .toSorted((a, b) => a.at - b.at)
    .slice(-MAX_APPLIED_KEYS);
}
