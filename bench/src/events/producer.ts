// The producer side: one "order placed" write per transaction, with its event in the outbox,
// either at a steady rate or as fast as a number of clients can; and the same write without
// the event, as the INSERT+COMMIT baseline.
import { setTimeout as sleep } from 'node:timers/promises';
import { withTransaction } from '@shopnow/chassis';
import type { Events } from '@shopnow/events';
import type pg from 'pg';
import { BenchOrderPlacedV1, nowMs, type Phase } from './contract.ts';

const insertOrder = 'insert into bench_orders (phase, n, amount_minor) values ($1, $2, $3) returning id';
const amountOf = (n: number) => 100 + (n % 10_000);

/** One transaction: the business row, then its event in the outbox (as a service's write does). */
export async function placeOrder(pool: pg.Pool, events: Events, phase: Phase, n: number): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(insertOrder, [phase, n, amountOf(n)]);
    const orderId = String(rows[0]?.id);
    await events.publish(tx, BenchOrderPlacedV1, {
      subject: `order-${orderId}`,
      data: { phase, n, orderId, amountMinor: amountOf(n) },
    });
  });
}

/** The baseline: the same business row in a transaction of its own, and no event. */
export async function insertOnly(pool: pg.Pool, n: number): Promise<void> {
  await withTransaction(pool, (tx) => tx.query(insertOrder, ['baseline', n, amountOf(n)]));
}

export interface PacedRun {
  /** Per n: when it was due, and when its transaction had committed (wall-clock ms). */
  scheduled: number[];
  committed: number[];
}

/**
 * Open loop: transaction n starts at `start + n / rate`, whether or not earlier ones have
 * committed (a slow commit does not slow the offered rate down, as with real traffic).
 */
export async function paced(
  rate: number,
  durationSec: number,
  write: (n: number) => Promise<void>,
): Promise<PacedRun> {
  const total = Math.max(1, Math.round(rate * durationSec));
  const intervalMs = 1000 / rate;
  const scheduled: number[] = new Array(total);
  const committed: number[] = new Array(total);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const start = nowMs() + 5;
  for (let n = 0; n < total && failure === undefined; n++) {
    const due = start + n * intervalMs;
    const wait = due - nowMs();
    if (wait >= 1) await sleep(Math.floor(wait));
    scheduled[n] = due;
    const one = write(n).then(
      () => {
        committed[n] = nowMs();
      },
      (err: unknown) => {
        failure ??= err;
      },
    );
    inFlight.add(one);
    one.finally(() => inFlight.delete(one));
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { scheduled, committed };
}

export interface ClosedLoopRun {
  startedAt: number;
  /** Per n: when its transaction had committed (wall-clock ms). */
  committed: number[];
}

/** Closed loop: `clients` concurrent writers, each starting its next transaction when one commits. */
export async function flatOut(
  clients: number,
  durationSec: number,
  write: (n: number) => Promise<void>,
): Promise<ClosedLoopRun> {
  const committed: number[] = [];
  const startedAt = nowMs();
  const end = startedAt + durationSec * 1000;
  let next = 0;
  const client = async () => {
    while (nowMs() < end) {
      const n = next++;
      await write(n);
      committed[n] = nowMs();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { startedAt, committed };
}
