// The sandbox's test cards: what charging each one does. Any other valid number succeeds.
// The outcome is worked out once, when the card is tokenized, and kept with the token: the
// number itself is then dropped.

export const OUTCOMES = ['succeeds', 'card_declined', 'insufficient_funds', 'processing_error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const TEST_CARDS: Readonly<Record<string, Outcome>> = {
  '4242424242424242': 'succeeds',
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000119': 'processing_error',
};

export function outcomeOf(digits: string): Outcome {
  return TEST_CARDS[digits] ?? 'succeeds';
}

/** Declines are final answers (stored as failed charges); a processing error is worth a retry. */
export type Decline = Extract<Outcome, 'card_declined' | 'insufficient_funds'>;

export const DECLINE_MESSAGES: Readonly<Record<Decline, string>> = {
  card_declined: 'The card was declined',
  insufficient_funds: 'The card has insufficient funds',
};
