// The processor's replies turned into what payment does next. Final answers (a decline, a refused
// token) end the payment; anything that may clear up (an outage, a timeout, a processing error, a
// request still running under the same key) is retried later with the same idempotency key, so a
// charge that did go through is answered again rather than made twice.
import type { ProviderReply } from './provider-reply.ts';

export type Verdict<T> =
  | { outcome: 'succeeded'; value: T }
  /** The card was declined: final. */
  | { outcome: 'declined'; reason: string }
  /** The request was refused for good (a bad token, a conflicting request). */
  | { outcome: 'rejected'; reason: string }
  /** Try again later; `maybeSent` is false when the processor certainly stored nothing. */
  | { outcome: 'retry'; maybeSent: boolean };

const DECLINES = new Map([
  ['provider.card_declined', 'card_declined'],
  ['provider.insufficient_funds', 'insufficient_funds'],
]);
const TOKEN_REFUSALS = new Set([
  'provider.no_such_token',
  'provider.token_expired',
  'provider.token_used',
  'provider.token_customer_mismatch',
]);

/** A charge reply: the charge id when it succeeded. */
export function chargeVerdict(reply: ProviderReply): Verdict<{ chargeId: string }> {
  if (reply.kind === 'no_answer') return { outcome: 'retry', maybeSent: reply.maybeSent };
  if (reply.status === 201) {
    const chargeId = idOf(reply.body);
    return chargeId === undefined ? retryMaybeSent : { outcome: 'succeeded', value: { chargeId } };
  }
  if (reply.status === 402)
    return { outcome: 'declined', reason: DECLINES.get(reply.code ?? '') ?? 'card_declined' };
  if (reply.status === 422 && TOKEN_REFUSALS.has(reply.code ?? '')) {
    return { outcome: 'rejected', reason: 'token_invalid' };
  }
  return refusedOrRetry(reply.status);
}

/** A refund reply: the refund id and amount when it succeeded. */
export function refundVerdict(reply: ProviderReply): Verdict<{ refundId: string; amountMinor: number }> {
  if (reply.kind === 'no_answer') return { outcome: 'retry', maybeSent: reply.maybeSent };
  if (reply.status === 201) {
    const refundId = idOf(reply.body);
    const amount = (reply.body as { amount?: unknown }).amount;
    return refundId === undefined || typeof amount !== 'number'
      ? retryMaybeSent
      : { outcome: 'succeeded', value: { refundId, amountMinor: amount } };
  }
  return refusedOrRetry(reply.status);
}

/** A lookup of the order's succeeded charges: the first one's id, or null when there is none. */
export function lookupVerdict(reply: ProviderReply): Verdict<{ chargeId: string | null }> {
  if (reply.kind === 'no_answer') return { outcome: 'retry', maybeSent: false };
  if (reply.status !== 200) return { outcome: 'retry', maybeSent: false };
  const items = (reply.body as { items?: unknown }).items;
  if (!Array.isArray(items)) return { outcome: 'retry', maybeSent: false };
  const succeeded = items.find((item) => (item as { status?: unknown }).status === 'succeeded');
  return {
    outcome: 'succeeded',
    value: { chargeId: succeeded === undefined ? null : (idOf(succeeded) ?? null) },
  };
}

const retryMaybeSent = { outcome: 'retry', maybeSent: true } as const;

/**
 * Any other status. 400 and 422 are the processor refusing this request, and asking again will
 * not change that. 401/403 are our key (a configuration to fix, not the shopper's fault): retried.
 * 409 is the same key still running. 502 and 503 are documented to store nothing; any other 5xx
 * or surprise may have.
 */
function refusedOrRetry(status: number): Verdict<never> {
  if (status === 400 || status === 422) return { outcome: 'rejected', reason: 'request_rejected' };
  if (status === 401 || status === 403 || status === 429 || status === 502 || status === 503) {
    return { outcome: 'retry', maybeSent: false };
  }
  return retryMaybeSent;
}

function idOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : undefined;
}
