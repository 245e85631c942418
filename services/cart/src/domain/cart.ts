// A cart and its lines as the business sees them; pure data, no storage or HTTP. Times are
// milliseconds since the epoch so both stores (Postgres rows, Redis JSON) keep them exactly.
import type { AppliedKey } from './applied-keys.ts';

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  /** The price the cart charges now: the catalog's when the line was last priced. */
  unitPrice: Money;
  /** The price the customer last chose this line at, while a catalog change has moved it; else null. */
  priceChangedFrom: Money | null;
  /** When unitPrice was true in the catalog: a price change older than this is already included. */
  priceAsOf: number;
  addedAt: number;
}

export interface Cart {
  id: string;
  /** The owner; null for an anonymous cart. */
  userId: string | null;
  /** SHA-256 (hex) of an anonymous cart's token; null for a user's cart. */
  tokenHash: string | null;
  lines: CartLine[];
  /** Bumped on every saved change (the Redis store's compare-and-set). */
  version: number;
  createdAt: number;
  /** Any change, a re-price included (shown to the customer). */
  updatedAt: number;
  /** The customer's last change: idle expiry counts from here, so re-pricing never keeps a cart alive. */
  activeAt: number;
  /** Idempotency-Keys of recent additions (applied-keys.ts), oldest first. */
  appliedKeys: AppliedKey[];
}

export function newCart(
  fields: { id: string; now: number } & ({ userId: string } | { tokenHash: string }),
): Cart {
  return {
    id: fields.id,
    userId: 'userId' in fields ? fields.userId : null,
    tokenHash: 'tokenHash' in fields ? fields.tokenHash : null,
    lines: [],
    version: 0,
    createdAt: fields.now,
    updatedAt: fields.now,
    activeAt: fields.now,
    appliedKeys: [],
  };
}

export const sameMoney = (a: Money | null, b: Money | null): boolean =>
  a === b || (a !== null && b !== null && a.amountMinor === b.amountMinor && a.currency === b.currency);

export function findLine(cart: Cart, productId: string): CartLine | undefined {
  return cart.lines.find((line) => line.productId === productId);
}
