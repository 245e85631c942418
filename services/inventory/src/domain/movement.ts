// The ledger's vocabulary: every change of a SKU's counts is one movement of one of these kinds,
// as deltas of available, reserved and sold.

export type MovementKind =
  | 'initial'
  | 'restock'
  | 'adjustment'
  | 'reservation'
  | 'release'
  | 'commit'
  | 'expiry'
  | 'return';

export interface Movement {
  sku: string;
  kind: MovementKind;
  available: number;
  reserved: number;
  sold: number;
  orderId?: string | null;
  reason?: string | null;
  /** Who: 'user:<id>', 'event:<type>' or 'sweeper'. */
  actor: string;
}

type Line = { sku: string; quantity: number };
type Context = Pick<Movement, 'orderId' | 'actor' | 'reason'>;

/** available → reserved. */
export const reserve = ({ sku, quantity }: Line, ctx: Context): Movement => ({
  sku,
  kind: 'reservation',
  available: -quantity,
  reserved: quantity,
  sold: 0,
  ...ctx,
});

/** reserved → available (a cancelled order, or an expired reservation). */
export const unreserve = ({ sku, quantity }: Line, kind: 'release' | 'expiry', ctx: Context): Movement => ({
  sku,
  kind,
  available: quantity,
  reserved: -quantity,
  sold: 0,
  ...ctx,
});

/** reserved → sold; or, for a confirmation that came after its reservation was given back, available → sold. */
export const sell = ({ sku, quantity }: Line, from: 'reserved' | 'available', ctx: Context): Movement => ({
  sku,
  kind: 'commit',
  available: from === 'available' ? -quantity : 0,
  reserved: from === 'reserved' ? -quantity : 0,
  sold: quantity,
  ...ctx,
});

/** sold → available: a confirmed order cancelled before its parcel left gives its units back. */
export const giveBack = ({ sku, quantity }: Line, ctx: Context): Movement => ({
  sku,
  kind: 'return',
  available: quantity,
  reserved: 0,
  sold: -quantity,
  ...ctx,
});
