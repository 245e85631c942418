// Money rules: prices are integer minor units (cents) plus an ISO 4217 currency code.
// Floats never represent money here; JavaScript numbers are exact up to MAX_SAFE_INTEGER,
// which the database also enforces (CHECK price_minor <= 9007199254740991).

export const MAX_PRICE_MINOR = Number.MAX_SAFE_INTEGER;

export interface Money {
  /** Minor units: 12999 USD is $129.99, 500 JPY is ¥500. */
  amountMinor: number;
  currency: string;
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** True for an upper-case ISO 4217 code that the runtime knows (USD, EUR, JPY...). */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

export function isPriceMinor(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount >= 0 && amount <= MAX_PRICE_MINOR;
}

/** Why a price is unacceptable, per field, or an empty list when it is fine. */
export function priceProblems(
  money: Partial<Money>,
): Array<{ field: 'amountMinor' | 'currency'; message: string }> {
  const problems: Array<{ field: 'amountMinor' | 'currency'; message: string }> = [];
  if (money.amountMinor !== undefined && !isPriceMinor(money.amountMinor)) {
    problems.push({ field: 'amountMinor', message: 'must be a non-negative integer number of minor units' });
  }
  if (money.currency !== undefined && !isCurrency(money.currency)) {
    problems.push({ field: 'currency', message: 'must be an ISO 4217 currency code such as USD' });
  }
  return problems;
}
