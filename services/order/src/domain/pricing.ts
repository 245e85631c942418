// Server-side prices: the catalog's unit prices times quantities, simple shipping, tax by the
// destination country. Amounts are integer minor units of one currency (no floating point).
//
// Shipping: free from 50.00 of subtotal, else a flat 5.99.
// Tax: the destination country's rate (tax-rates.ts) on subtotal + shipping, rounded half up to
// the minor unit; countries not listed are not taxed.
import { taxRateBasisPoints } from './tax-rates.ts';

export const FREE_SHIPPING_FROM_MINOR = 5000;
export const FLAT_SHIPPING_MINOR = 599;

export interface PricedLine {
  quantity: number;
  unitPriceMinor: number;
}

export interface Totals {
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export function priceOrder(lines: readonly PricedLine[], country: string): Totals {
  const subtotalMinor = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
  const shippingMinor = subtotalMinor >= FREE_SHIPPING_FROM_MINOR ? 0 : FLAT_SHIPPING_MINOR;
  const taxMinor = percentOf(subtotalMinor + shippingMinor, taxRateBasisPoints(country));
  return { subtotalMinor, shippingMinor, taxMinor, totalMinor: subtotalMinor + shippingMinor + taxMinor };
}

/** `amount` × basisPoints / 10,000, rounded half up, in integers only. */
function percentOf(amountMinor: number, basisPoints: number): number {
  return Math.floor((amountMinor * basisPoints + 5000) / 10_000);
}
