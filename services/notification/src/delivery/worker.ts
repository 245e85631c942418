// The sender: every NOTIFICATION_POLL_INTERVAL_MS it claims the messages whose next step is due
// (a lease, SKIP LOCKED: replicas share them, never the same one) and works them side by side:
// prepare (recipient, preferences, rendering), then send. It claims no more than the rate limit
// lets it send soon, so a leased message is not left waiting for a token past its lease. A full
// batch is followed at once by the next.
import { startPeriodicTask } from '@shopnow/chassis';
import type pg from 'pg';
import type { DeliveryContext } from '../context.ts';
import { claimDue, type Message, markStored } from '../store/messages.ts';
import { prepareMessage } from './prepare.ts';
import { sendMessage } from './send.ts';

export interface Worker {
  /** One pass: claims and works what is due now; resolves to how many messages it took. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startWorker(
  db: pg.Pool,
  ctx: DeliveryContext,
  options: { intervalMs: number; batchSize: number },
): Worker {
  const step = async (claimed: Message): Promise<void> => {
    const m = claimed.status === 'pending' ? await prepareMessage(db, ctx, claimed) : claimed;
    if (m?.status !== 'queued') return;
    const mailer = ctx.mailer;
    // SMTP_URL was unset after the message was queued (a restart): keep it, readable, unsent.
    if (mailer === undefined) await markStored(db, m.id);
    else await sendMessage(db, { ...ctx, mailer }, m);
  };

  const runOnce = async (): Promise<number> => {
    const limit =
      ctx.mailer === undefined
        ? options.batchSize
        : Math.min(options.batchSize, Math.max(1, ctx.bucket.available()));
    const claimed = await claimDue(db, limit, ctx.settings.leaseMs);
    await Promise.all(
      claimed.map((m) =>
        step(m).catch((err: unknown) =>
          ctx.logger.error({ err, messageId: m.id, kind: m.kind }, 'message step failed'),
        ),
      ),
    );
    return claimed.length;
  };

  const task = startPeriodicTask({
    intervalMs: options.intervalMs,
    run: async (signal) => {
      while (!signal.aborted && (await runOnce()) > 0) {}
    },
    logger: ctx.logger,
    failureMessage: 'notification sender pass failed',
  });
  return { runOnce, stop: () => task.stop() };
}
