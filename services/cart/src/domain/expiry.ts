// Idle expiry: a cart the customer has not changed for the idle period is gone, whether or not
// the sweeper has deleted it yet.
import type { Cart } from './cart.ts';

export function isIdle(cart: Cart, now: number, idleMs: number): boolean {
  return cart.activeAt <= now - idleMs;
}
