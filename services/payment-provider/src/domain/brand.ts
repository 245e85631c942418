// The card network, from the number's leading digits (IIN ranges), for display and the CVC length.

export const BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'unknown'] as const;
export type Brand = (typeof BRANDS)[number];

export function brandOf(digits: string): Brand {
  if (/^4/.test(digits)) return 'visa';
  if (/^3[47]/.test(digits)) return 'amex';
  const first4 = Number(digits.slice(0, 4));
  if (/^5[1-5]/.test(digits) || (first4 >= 2221 && first4 <= 2720)) return 'mastercard';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  return 'unknown';
}
