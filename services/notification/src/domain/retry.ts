// When to try a message again, and whether an SMTP failure is worth another try.

/** Exponential backoff with equal jitter: about base·2^(n-1), between half and all of it, at most max. */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What nodemailer tells of a failed send: the SMTP reply code, when the server gave one, and its error code. */
export interface SmtpFailure {
  responseCode?: number | undefined;
  code?: string | undefined;
}

/**
 * 5xx replies are permanent (RFC 5321: the same command will fail again, e.g. 550 no such
 * mailbox); 4xx replies are temporary (451, 452, 421); no reply at all (connection refused or
 * reset, a timeout, DNS) is temporary: the server may come back.
 */
export function classifySmtpFailure(failure: SmtpFailure): 'temporary' | 'permanent' {
  const code = failure.responseCode;
  if (code !== undefined && code >= 500 && code < 600) return 'permanent';
  return 'temporary';
}
