// Dates as the recipient reads them, in their locale, and the order number they quote. (Money is
// formatted by @shopnow/contracts' formatMoney, in the currency's own minor-unit digits.)

// A DateTimeFormat costs about 90 µs to build and 1 µs to use: one per locale and style, kept.
const MAX_FORMATS = 256;
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, style: 'instant' | 'day'): Intl.DateTimeFormat {
  const key = `${style}\u0000${locale}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(
      locale,
      style === 'instant'
        ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }
        : { dateStyle: 'long', timeZone: 'UTC' },
    );
    if (dateFormats.size >= MAX_FORMATS) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format;
}

/** A moment, in UTC (the shop does not know the recipient's time zone). */
export function formatInstant(iso: string, locale: string): string {
  return dateFormat(locale, 'instant').format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD), as such. */
export function formatDay(day: string, locale: string): string {
  return dateFormat(locale, 'day').format(new Date(`${day}T00:00:00Z`));
}

/** The short number a customer quotes: the first eight hex digits of the order id, upper case. */
export function orderNumber(orderId: string): string {
  return orderId.replaceAll('-', '').slice(0, 8).toUpperCase();
}
