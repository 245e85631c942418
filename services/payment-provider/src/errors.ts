// Everything the provider may refuse, with stable codes (see README). Card and decline codes
// follow Stripe's names, under this service's prefix.
import { AppError, defineErrors } from '@shopnow/chassis';
import type { CardProblem } from './domain/card.ts';
import type { Decline } from './domain/test-cards.ts';

export const providerErrors = defineErrors({
  'provider.unauthorized': { status: 401, title: 'Missing or wrong API key' },
  'provider.token_not_found': { status: 404, title: 'No such token' },
  'provider.charge_not_found': { status: 404, title: 'No such charge' },
  // Card data refused at tokenization.
  'provider.incorrect_number': { status: 422, title: 'The card number is not valid' },
  'provider.invalid_expiry_month': { status: 422, title: 'The expiry month is not valid' },
  'provider.invalid_expiry_year': { status: 422, title: 'The expiry year is not valid' },
  'provider.expired_card': { status: 422, title: 'The card has expired' },
  'provider.invalid_cvc': { status: 422, title: 'The CVC is not valid' },
  // A charge's token.
  'provider.no_such_token': { status: 422, title: 'The token does not exist' },
  'provider.token_expired': { status: 422, title: 'The token has expired' },
  'provider.token_used': { status: 422, title: 'The token was already used by a successful charge' },
  'provider.token_customer_mismatch': { status: 422, title: 'The token belongs to another customer' },
  // A refund's charge.
  'provider.no_such_charge': { status: 422, title: 'The charge does not exist' },
  'provider.charge_not_refundable': { status: 422, title: 'A failed charge captured nothing to refund' },
  'provider.charge_already_refunded': { status: 422, title: 'The charge is already fully refunded' },
  'provider.refund_exceeds_remaining': {
    status: 422,
    title: 'The refund exceeds what is left of the charge',
  },
  // Outcomes of a charge attempt: declines are final (stored), a processing error is not.
  'provider.card_declined': { status: 402, title: 'The card was declined' },
  'provider.insufficient_funds': { status: 402, title: 'The card has insufficient funds' },
  'provider.processing_error': {
    status: 502,
    title: 'The card could not be processed; retry with the same key',
  },
  'provider.unavailable': { status: 503, title: 'The provider is unavailable; retry later' },
});

/** Every card problem in one 422; its code is the first problem's (number, expiry, CVC order). */
export function cardErrors(problems: readonly CardProblem[]): AppError {
  const [first] = problems;
  if (first === undefined) throw new Error('cardErrors needs at least one problem');
  return new AppError(
    providerErrors[`provider.${first.reason}`],
    problems.map((p) => `${p.field} ${p.message}`).join('; '),
    {
      errors: problems.map((p) => ({ in: 'body', field: p.field, message: p.message, reason: p.reason })),
    },
  );
}

export const declineError = (decline: Decline) => providerErrors[`provider.${decline}`];
