// A card token's life: active until it expires or until a charge with it succeeds (single use,
// like Stripe's). A declined or failed attempt leaves it active, so the customer's retry (or the
// merchant's retry after a processing error) can use it again.

export type TokenStatus = 'active' | 'expired' | 'used';

export interface TokenState {
  expiresAt: Date;
  /** The succeeded charge that consumed it, if any. */
  usedBy: string | null;
  /** The customer it was made for; null: any customer may be charged with it. */
  customer: string | null;
}

export function tokenStatus(token: TokenState, now: Date): TokenStatus {
  if (token.usedBy !== null) return 'used';
  return now.getTime() >= token.expiresAt.getTime() ? 'expired' : 'active';
}

export type ChargeRefusal = 'token_used' | 'token_expired' | 'token_customer_mismatch';

/**
 * Why a token may not be charged for `customer` now, or undefined when it may. A token made for
 * a customer is charged only for that customer, so a token taken from another shopper's session
 * is useless; a charge without a customer cannot use such a token either.
 */
export function chargeRefusal(
  token: TokenState,
  customer: string | undefined,
  now: Date,
): ChargeRefusal | undefined {
  const status = tokenStatus(token, now);
  if (status === 'used') return 'token_used';
  if (status === 'expired') return 'token_expired';
  if (token.customer !== null && token.customer !== customer) return 'token_customer_mismatch';
  return undefined;
}
