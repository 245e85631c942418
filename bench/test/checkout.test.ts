// The checkout benchmark's parts that need no platform: statistics, the mirror of the gateway's
// checkout bucket (so a run never trips the limiter), customer hand-out, pgbench's report, the
// summary line and the command line. A real run starts the whole platform (npm run bench --
// checkout); none is started here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { benchmarks } from '../src/benchmarks.ts';
import { CallerBudget, customersFor, ordersPerCustomer } from '../src/checkout/budget.ts';
import { parsePgbench } from '../src/checkout/commit-baseline.ts';
import { type Customer, CustomerPool, inParallel } from '../src/checkout/customers.ts';
import { transactionsBetween } from '../src/checkout/db-transactions.ts';
import type { PhaseResult } from '../src/checkout/phases.ts';
import { partsBetween } from '../src/checkout/process-cpu.ts';
import { percentile, summarize } from '../src/checkout/stats.ts';
import {
  type CheckoutBenchResult,
  checkoutBucket,
  checkoutSummaryLine,
  checkoutTable,
  cpuLine,
  TARGETS,
  transactionsLine,
} from '../src/checkout.ts';

const ROOT = join(import.meta.dirname, '..', '..');

test('percentiles are nearest-rank over the samples', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  const summary = summarize(samples);
  assert.deepEqual(summary, { count: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), 0);
  assert.deepEqual(summarize([]), { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 });
  assert.equal(summarize([1.26, 3]).p50, 1.3);
});

test('the budget mirrors a token bucket: full at first, then limit per window', () => {
  const spec = { limit: 10, windowSeconds: 60 };
  const budget = new CallerBudget(spec, 0);
  for (let i = 0; i < 10; i++) assert.equal(budget.tryTake(0), true, `token ${i + 1}`);
  assert.equal(budget.tryTake(0), false);
  // One token per 6 s, counted from 1 s after the take (the gateway may see it that late).
  assert.equal(budget.waitMs(0), 7000);
  assert.equal(budget.tryTake(6_999), false);
  assert.equal(budget.tryTake(7_000), true);
  assert.equal(budget.tryTake(7_000), false);
  // Never more than the limit, however long idle.
  const idle = new CallerBudget(spec, 0);
  let taken = 0;
  while (idle.tryTake(3_600_000)) taken++;
  assert.equal(taken, 10);

  assert.equal(ordersPerCustomer(spec, 30), 15);
  assert.equal(customersFor(spec, 50, 20), Math.ceil((1.2 * 1000) / 13));
});

test('the gateway route table in the repository has the checkout bucket the mirror reads', () => {
  const bucket = checkoutBucket(join(ROOT, 'services', 'gateway', 'routes.json'));
  assert.ok(bucket.limit > 0 && bucket.windowSeconds > 0, JSON.stringify(bucket));
});

test('the pool hands out customers with tokens, least recently used first', () => {
  const spec = { limit: 2, windowSeconds: 60 };
  const customer = (name: string, tokens: number): Customer => ({
    shopper: { email: name, userId: name, token: '', clientIp: '', addressId: '' },
    cardTokens: Array.from({ length: tokens }, (_, i) => `tok_${name}_${i}`),
    budget: new CallerBudget(spec, 0),
  });
  const pool = new CustomerPool([customer('a', 5), customer('b', 1)]);
  const names = () => pool.take(0)?.shopper.email;
  assert.equal(names(), 'a');
  const b = pool.take(0) as Customer;
  assert.equal(b.shopper.email, 'b');
  b.cardTokens.pop(); // b placed its one order
  assert.equal(names(), 'a');
  assert.equal(names(), undefined); // a's bucket is empty, b has no card token left
  assert.equal(pool.waitMs(0), 31_000);
  assert.equal(names(), undefined);
  const spent = new CustomerPool([customer('c', 0)]);
  assert.equal(spent.waitMs(0), Number.POSITIVE_INFINITY);
});

test('inParallel runs every task with at most n at once, results in order', async () => {
  let running = 0;
  let peak = 0;
  const results = await inParallel(10, 3, async (i) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    return i * 2;
  });
  assert.deepEqual(results, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  assert.equal(peak, 3);
});

test("pgbench's report is read; a report without tps is an error", () => {
  const output = [
    'pgbench (15.14 (Debian 15.14-0+deb12u1), server 18.1)',
    'transaction type: /tmp/x/commit-baseline.sql',
    'number of clients: 32',
    'latency average = 21.602 ms',
    'initial connection time = 95.306 ms',
    'tps = 1481.318745 (without initial connection time)',
  ].join('\n');
  assert.deepEqual(parsePgbench(output), { tps: 1481.318745, latencyMeanMs: 21.602 });
  assert.throws(() => parsePgbench('pgbench: error: connection refused'), /no tps/);
});

const phase = (over: Partial<PhaseResult>): PhaseResult => ({
  orders: 100,
  ordersInPhase: 120,
  confirmed: 100,
  cancelled: {},
  refused: {},
  errors: 0,
  starved: 0,
  customerWaitMs: 0,
  confirmedPerSec: 12.5,
  to202Ms: { count: 100, p50: 80, p90: 150, p99: 300, max: 400, mean: 90 },
  toConfirmedMs: { count: 100, p50: 900, p90: 1500, p99: 2500, max: 3000, mean: 1000 },
  samples: [],
  ...over,
});

test('CPU by part sums replicas, clock ticks in ms, most first; per order it reads as one line', () => {
  const groups = { names: ['order', 'postgres', 'order'], pids: [1, 2, 3] };
  const start = { at: 0, trees: [100, 50, 10], machine: { busy: 0, total: 0 } };
  const end = { at: 1000, trees: [130, 110, 25], machine: { busy: 0, total: 0 } };
  assert.deepEqual(partsBetween(groups, start, end), [
    { part: 'postgres', cpuMs: 600 },
    { part: 'order', cpuMs: 450 },
  ]);
  const line = cpuLine([
    { part: 'postgres', cpuMs: 600, corePercent: 60, msPerOrder: 6 },
    { part: 'order', cpuMs: 450, corePercent: 45, msPerOrder: 4.5 },
  ]);
  assert.equal(line, 'postgres 6, order 4.5; total 10.5');
});

test('transactions per database between two counts, per order, most first, idle databases left out', () => {
  const start = new Map([
    ['order', 100],
    ['bus', 1000],
    ['cart', 7],
  ]);
  const end = new Map([
    ['order', 400],
    ['bus', 2100],
    ['cart', 7],
    ['shipping', 50],
  ]);
  const databases = transactionsBetween(start, end, 100);
  assert.deepEqual(databases, [
    { database: 'bus', transactions: 1100, perOrder: 11 },
    { database: 'order', transactions: 300, perOrder: 3 },
    { database: 'shipping', transactions: 50, perOrder: 0.5 },
  ]);
  assert.equal(transactionsLine(databases), 'bus 11, order 3, shipping 0.5; total 14.5');
});

test('the summary line and table show the numbers against the targets', () => {
  const result = {
    benchmark: 'checkout',
    phaseA: phase({}),
    phaseB: { ...phase({ confirmedPerSec: 49.6 }), rate: 50 },
    baseline: { tool: 'pgbench', clients: 32, durationSec: 20, commitsPerSec: 1250, latencyMeanMs: 25 },
    ratio: 0.01,
    targets: TARGETS,
    machineBusyPercent: { before: 90, phaseA: 99, baseline: 98, phaseB: 97 },
    settings: { concurrency: 32 },
    pass: false,
  } as unknown as CheckoutBenchResult;
  assert.equal(
    checkoutSummaryLine(result),
    'checkout: 12.5 confirmed orders/s (target ≥ 100) vs 1250 commits/s (ratio 0.01); at 50/s p99 to 202 300 ms (target < 50), to confirmed 2500 ms (target < 1000) FAIL',
  );
  const table = checkoutTable(result);
  assert.match(table, /A: closed, 32 at once\s+12\.5\s+80 \/ 300\s+900 \/ 2500\s+100\/100/);
  assert.match(table, /machine busy: before 90%, A 99%/);
});

test('the command line knows checkout and its options, and refuses bad values before starting anything', () => {
  assert.ok(benchmarks.checkout);
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bench', 'src', 'cli.ts'), ...args], { encoding: 'utf8' });
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stderr, /checkout\s+orders end to end/);
  assert.match(help.stderr, /--customers <n>\s+phase A customers/);
  const bad = cli('checkout', '--rate', '0');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--rate must be an integer >= 1 \(got "0"\)/);
  const foreign = cli('checkout', '--rounds', '2');
  assert.equal(foreign.status, 2);
  assert.match(foreign.stderr, /--rounds is not an option of checkout/);
});
