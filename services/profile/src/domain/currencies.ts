// The currencies a shopper may choose to see prices in: a fixed list of ISO 4217 codes the
// storefront can display, not every code ISO publishes.
export const SUPPORTED_CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'CAD',
  'AUD',
  'JPY',
] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

export const DEFAULT_CURRENCY: Currency = 'EUR';

const KNOWN = new Set<string>(SUPPORTED_CURRENCIES);

export function isSupportedCurrency(code: string): code is Currency {
  return KNOWN.has(code);
}
