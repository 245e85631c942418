// Sending a prepared email over SMTP, at the rate the token bucket allows. A temporary failure
// (4xx, no answer) is retried with exponential backoff; a permanent one (5xx) or the last
// attempt makes the message dead, with the server's reason on the row.
import type pg from 'pg';
import type { DeliveryContext } from '../context.ts';
import { classifySmtpFailure, retryDelayMs } from '../domain/retry.ts';
import { type Message, markDead, markRetry, markSent } from '../store/messages.ts';
import { failureOf, type Mailer } from './mailer.ts';

export async function sendMessage(
  db: pg.Pool,
  ctx: DeliveryContext & { mailer: Mailer },
  m: Message,
): Promise<void> {
  const wait = ctx.bucket.reserve();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  try {
    const response = await ctx.mailer.send({
      id: m.id,
      to: m.toEmail as string,
      subject: m.subject as string,
      html: m.html as string,
      text: m.text as string,
    });
    await markSent(db, m.id, response);
    ctx.metrics.messages.inc({ kind: m.kind, outcome: 'sent' });
  } catch (err) {
    const failure = failureOf(err);
    const reason = `${failure.responseCode ?? failure.code ?? 'error'}: ${failure.message}`;
    const attempt = m.attempts + 1;
    if (classifySmtpFailure(failure) === 'permanent' || attempt >= ctx.settings.maxAttempts) {
      await markDead(db, m.id, reason, true);
      ctx.metrics.messages.inc({ kind: m.kind, outcome: 'dead' });
      ctx.logger.error({ messageId: m.id, kind: m.kind, attempts: attempt, reason }, 'email is dead');
      return;
    }
    const delay = retryDelayMs(attempt, ctx.settings.retryBaseMs, ctx.settings.retryMaxMs);
    await markRetry(db, m.id, new Date(Date.now() + delay), reason);
    ctx.metrics.messages.inc({ kind: m.kind, outcome: 'retry' });
    ctx.logger.warn(
      { messageId: m.id, kind: m.kind, attempts: attempt, reason, retryInMs: delay },
      'email send failed; will retry',
    );
  }
}
