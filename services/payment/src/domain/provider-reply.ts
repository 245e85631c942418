// What a call to the card processor came to, before any decision: an HTTP answer, or none (and
// then whether the request may have reached the processor anyway).
export type ProviderReply =
  | { kind: 'answer'; status: number; code: string | null; body: unknown }
  | { kind: 'no_answer'; failure: string; maybeSent: boolean };

/** How a reply is recorded: its status and code, or the reason there was none. */
export function replySummary(reply: ProviderReply): { httpStatus: number | null; code: string | null } {
  return reply.kind === 'answer'
    ? { httpStatus: reply.status, code: reply.code }
    : { httpStatus: null, code: reply.failure };
}
