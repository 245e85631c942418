// Money and dates as the recipient reads them, in their locale. Money arrives in minor units; the
// currency's own number of decimals (2 for EUR, 0 for JPY) turns it into an amount.
export interface Money {
  amountMinor: number;
  currency: string;
}

export function formatMoney(money: Money, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amountMinor / 10 ** digits);
}

/** A moment, in UTC (the shop does not know the recipient's time zone). */
export function formatInstant(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}

/** A calendar day (YYYY-MM-DD), as such. */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** The short number a customer quotes: the first eight hex digits of the order id, upper case. */
export function orderNumber(orderId: string): string {
  return orderId.replaceAll('-', '').slice(0, 8).toUpperCase();
}
