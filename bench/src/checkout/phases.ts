// The two measured phases. A (closed loop): `concurrency` customers at once, each placing its
// next order as soon as the last one settled: the confirmed-orders/s ceiling. B (open loop): an
// order due every 1/rate s whatever happened to earlier ones, latency counted from the due time,
// so a stall shows as the wait every order behind it really had (no coordinated omission).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiCall } from '../../../e2e/src/api-client.ts';
import type { CustomerPool } from './customers.ts';
import { checkout, type OrderOutcome } from './order-flow.ts';
import type { Product } from './platform.ts';
import { type LatencySummary, summarize } from './stats.ts';

export interface Target {
  api: ApiCall;
  gatewayUrl: string;
  products: Product[];
  pool: CustomerPool;
}

export interface PhaseResult {
  /** Orders counted: started after the warm-up (closed loop) or due in the run (open loop). */
  orders: number;
  /** Orders settled or failed during the whole phase, warm-up included (what its CPU was spent on). */
  ordersInPhase: number;
  confirmed: number;
  cancelled: Record<string, number>;
  /** Answers other than 202, by status. */
  refused: Record<string, number>;
  errors: number;
  /** Open loop: orders due when no customer had a checkout token left (harness too small). */
  starved: number;
  /** Closed loop: ms workers waited for a customer with a token (harness too small when > 0). */
  customerWaitMs: number;
  /** Confirmed orders per second: closed loop, settled in the measured window; open loop, over the run. */
  confirmedPerSec: number;
  to202Ms: LatencySummary;
  toConfirmedMs: LatencySummary;
  /** A few refusal and error texts, for the log. */
  samples: string[];
}

function tally(
  outcomes: OrderOutcome[],
  extra: { starved: number; customerWaitMs: number; perSec: number; inPhase: number },
): PhaseResult {
  const result: PhaseResult = {
    orders: outcomes.length + extra.starved,
    ordersInPhase: extra.inPhase,
    confirmed: 0,
    cancelled: {},
    refused: {},
    errors: 0,
    starved: extra.starved,
    customerWaitMs: Math.round(extra.customerWaitMs),
    confirmedPerSec: Math.round(extra.perSec * 10) / 10,
    to202Ms: summarize(
      outcomes.flatMap((o) => (o.kind === 'confirmed' || o.kind === 'cancelled' ? [o.to202Ms] : [])),
    ),
    toConfirmedMs: summarize(outcomes.flatMap((o) => (o.kind === 'confirmed' ? [o.toConfirmedMs] : []))),
    samples: [],
  };
  for (const o of outcomes) {
    if (o.kind === 'confirmed') result.confirmed++;
    else if (o.kind === 'cancelled') {
      const reason = o.reason ?? 'unknown';
      result.cancelled[reason] = (result.cancelled[reason] ?? 0) + 1;
    } else if (o.kind === 'refused') {
      result.refused[o.status] = (result.refused[o.status] ?? 0) + 1;
      if (result.samples.length < 5) result.samples.push(`${o.status} ${o.detail}`);
    } else {
      result.errors++;
      if (result.samples.length < 5) result.samples.push(o.detail);
    }
  }
  return result;
}

/** Phase A: `concurrency` loops for warm-up + duration; orders started in the warm-up are discarded. */
export async function closedLoop(
  target: Target,
  opts: { concurrency: number; warmupSec: number; durationSec: number },
): Promise<PhaseResult> {
  const start = performance.now();
  const measureFrom = start + opts.warmupSec * 1000;
  const end = measureFrom + opts.durationSec * 1000;
  const outcomes: OrderOutcome[] = [];
  let next = 0;
  let customerWaitMs = 0;
  let inPhase = 0;
  const worker = async () => {
    for (let now = performance.now(); now < end; now = performance.now()) {
      const customer = target.pool.take(Date.now());
      if (customer === undefined) {
        const wait = Math.min(target.pool.waitMs(Date.now()), end - now);
        if (!Number.isFinite(wait)) return;
        if (now >= measureFrom) customerWaitMs += wait;
        await sleep(Math.max(1, wait));
        continue;
      }
      const product = target.products[next++ % target.products.length] as Product;
      const outcome = await checkout(target.api, target.gatewayUrl, customer, product, now);
      inPhase++;
      if (now >= measureFrom) outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const confirmedInWindow = outcomes.filter(
    (o) => o.kind === 'confirmed' && o.doneAt >= measureFrom && o.doneAt <= end,
  ).length;
  return tally(outcomes, {
    starved: 0,
    customerWaitMs,
    perSec: confirmedInWindow / opts.durationSec,
    inPhase,
  });
}

/** Phase B: `rate` orders/s for `durationSec`; waits for every order to settle (or time out). */
export async function openLoop(
  target: Target,
  opts: { rate: number; durationSec: number },
): Promise<PhaseResult> {
  const total = Math.round(opts.rate * opts.durationSec);
  const intervalMs = 1000 / opts.rate;
  const pending: Promise<OrderOutcome>[] = [];
  let starved = 0;
  const start = performance.now();
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    for (; sent < due; sent++) {
      const customer = target.pool.take(Date.now());
      if (customer === undefined) {
        starved++;
        continue;
      }
      const product = target.products[sent % target.products.length] as Product;
      pending.push(checkout(target.api, target.gatewayUrl, customer, product, start + sent * intervalMs));
    }
    if (sent < total) await sleep(1);
  }
  const outcomes = await Promise.all(pending);
  const elapsedSec = (Math.max(...outcomes.map((o) => o.doneAt), start) - start) / 1000;
  const confirmed = outcomes.filter((o) => o.kind === 'confirmed').length;
  return tally(outcomes, {
    starved,
    customerWaitMs: 0,
    perSec: elapsedSec > 0 ? confirmed / elapsedSec : 0,
    inPhase: outcomes.length,
  });
}
