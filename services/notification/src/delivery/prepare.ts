// Preparing a stored message: who it goes to (the event's email, or the recipients projection),
// the recipient's preferences and locale (profile; defaults when it is down), where it goes
// (delivery-plan.ts), and its rendering. The rendered email and the inbox item are written in one
// transaction, so a message is in the inbox at most once and its email is what the mailbox shows.
import { randomUUID } from 'node:crypto';
import { withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import type { DeliveryContext } from '../context.ts';
import { planDelivery } from '../domain/delivery-plan.ts';
import { formattingLocale } from '../domain/locale.ts';
import { retryDelayMs } from '../domain/retry.ts';
import { insertInboxItem } from '../store/inbox-items.ts';
import { type Message, markDead, markPrepared, markRetry, markSkipped } from '../store/messages.ts';
import { findRecipient } from '../store/recipients.ts';
import { renderMessage } from '../templates/index.ts';

/** Prepares `m`; resolves to the message when its email is now to be sent, else undefined. */
export async function prepareMessage(
  db: pg.Pool,
  ctx: DeliveryContext,
  m: Message,
): Promise<Message | undefined> {
  const recipient = m.userId === null ? undefined : await findRecipient(db, m.userId);
  const toEmail = m.toEmail ?? recipient?.email;
  if (toEmail === undefined) {
    return waitOrGiveUp(db, ctx, m, 'recipient_unknown', () =>
      markDead(db, m.id, 'recipient_unknown: no email known for the user', true),
    );
  }
  const preferences =
    m.userId === null
      ? undefined
      : await ctx.preferences.get(m.userId, { fresh: m.category === 'marketing' });
  const plan = planDelivery(m.category, preferences);
  if (plan.kind === 'wait') {
    return waitOrGiveUp(db, ctx, m, plan.reason, () => markSkipped(db, m.id, plan.reason));
  }
  if (plan.kind === 'skip') {
    await markSkipped(db, m.id, plan.reason);
    ctx.metrics.messages.inc({ kind: m.kind, outcome: 'skipped' });
    return undefined;
  }
  const locale = formattingLocale(preferences?.locale);
  const rendered = renderMessage(m.kind, m.params, {
    locale,
    name: recipient?.displayName ?? null,
    links: ctx.links,
  });
  const status = !plan.email ? 'skipped' : ctx.mailer === undefined ? 'stored' : 'queued';
  const prepared = await withTransaction(db, async (tx) => {
    if (plan.inApp && m.userId !== null) {
      await insertInboxItem(tx, {
        id: randomUUID(),
        messageId: m.id,
        userId: m.userId,
        kind: m.kind,
        ...rendered.inbox,
        createdAt: m.occurredAt,
      });
    }
    return markPrepared(
      tx,
      m.id,
      {
        toEmail,
        locale,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        status,
        skipReason: plan.email ? undefined : 'email_not_in_channels',
      },
      ctx.settings.leaseMs,
    );
  });
  if (status !== 'queued') ctx.metrics.messages.inc({ kind: m.kind, outcome: status });
  return status === 'queued' ? prepared : undefined;
}

async function waitOrGiveUp(
  db: pg.Pool,
  ctx: DeliveryContext,
  m: Message,
  reason: string,
  giveUp: () => Promise<void>,
): Promise<undefined> {
  const attempt = m.attempts + 1;
  if (Date.now() - m.createdAt.getTime() >= ctx.settings.maxWaitMs) {
    await giveUp();
    ctx.logger.warn({ messageId: m.id, kind: m.kind, reason }, 'message given up before sending');
    ctx.metrics.messages.inc({ kind: m.kind, outcome: 'given_up' });
    return undefined;
  }
  const delay = retryDelayMs(attempt, ctx.settings.retryBaseMs, ctx.settings.retryMaxMs);
  await markRetry(db, m.id, new Date(Date.now() + delay), reason);
  return undefined;
}
