// Card data checks a processor makes before it hands out a token: the number (digits, length,
// Luhn), the expiry (a real month, not past, not absurdly far) and the CVC (3 digits, 4 for
// American Express). Each problem carries the Stripe-like reason a checkout page can show.
import { type Brand, brandOf } from './brand.ts';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export type CardReason =
  | 'incorrect_number'
  | 'invalid_expiry_month'
  | 'invalid_expiry_year'
  | 'expired_card'
  | 'invalid_cvc';

export interface CardProblem {
  reason: CardReason;
  /** JSON pointer into the request body. */
  field: string;
  message: string;
}

/** What may be kept of a card: never the number or the CVC. */
export interface CheckedCard {
  /** The digits only, for the caller to classify and drop (never stored, never logged). */
  digits: string;
  brand: Brand;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** A card expiring further ahead than this is a typo, not a card. */
export const MAX_YEARS_AHEAD = 20;

/** Digits with optional single spaces or dashes between groups, as people type them. */
const NUMBER_SHAPE = /^\d+(?:[ -]\d+)*$/;

export function checkCard(
  card: CardInput,
  now: Date,
): { ok: true; card: CheckedCard } | { ok: false; problems: CardProblem[] } {
  const problems: CardProblem[] = [];
  const digits = NUMBER_SHAPE.test(card.number) ? card.number.replace(/[ -]/g, '') : '';
  if (digits.length < 12 || digits.length > 19 || !passesLuhn(digits)) {
    problems.push({
      reason: 'incorrect_number',
      field: '/card/number',
      message: 'is not a valid card number',
    });
  }
  problems.push(...expiryProblems(card.expMonth, card.expYear, now));
  const brand = brandOf(digits);
  const cvcLength = brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) {
    problems.push({ reason: 'invalid_cvc', field: '/card/cvc', message: `must be ${cvcLength} digits` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    card: { digits, brand, last4: digits.slice(-4), expMonth: card.expMonth, expYear: card.expYear },
  };
}

/** A card is good through the last day of its expiry month (UTC). */
function expiryProblems(month: number, year: number, now: Date): CardProblem[] {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    return [{ reason: 'invalid_expiry_month', field: '/card/expMonth', message: 'must be 1-12' }];
  }
  const thisYear = now.getUTCFullYear();
  if (!Number.isInteger(year) || year > thisYear + MAX_YEARS_AHEAD) {
    return [
      {
        reason: 'invalid_expiry_year',
        field: '/card/expYear',
        message: `must be a four-digit year at most ${MAX_YEARS_AHEAD} years ahead`,
      },
    ];
  }
  const thisMonth = now.getUTCMonth() + 1;
  if (year < thisYear || (year === thisYear && month < thisMonth)) {
    return [{ reason: 'expired_card', field: '/card/expYear', message: 'the card has expired' }];
  }
  return [];
}

/** The Luhn (mod 10) check digit test every card number passes. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
