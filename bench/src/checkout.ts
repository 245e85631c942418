// checkout (issue 6): orders end to end through the gateway on the embedded runtime (`npm start`
// in a private home), as customers place them: POST /api/orders → 202 → the status stream until
// confirmed (stock reserved, card charged at the processor sandbox, order confirmed: every
// service, the event bus and Postgres on the path). Phase A: the confirmed-orders/s ceiling
// (closed loop). Phase B: latency at a fixed rate (open loop). Baseline, same run, same
// Postgres: single-row INSERT commits/s at phase A's concurrency.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BucketSpec, customersFor, ordersPerCustomer } from './checkout/budget.ts';
import { type CommitBaseline, commitBaseline } from './checkout/commit-baseline.ts';
import { CustomerPool, prepareCustomers } from './checkout/customers.ts';
import {
  countTransactions,
  type DatabaseTransactions,
  transactionsBetween,
} from './checkout/db-transactions.ts';
import { closedLoop, openLoop, type PhaseResult } from './checkout/phases.ts';
import { startPlatform, stockedProducts } from './checkout/platform.ts';
import { type PartCpu, partsBetween, platformProcesses, sampleParts } from './checkout/process-cpu.ts';
import {
  reportStatements,
  resetStatements,
  STATEMENTS_SETTINGS,
  topStatements,
} from './checkout/statements.ts';
import { cpuBetween, sampleCpu } from './gateway/cpu.ts';
import { machine } from './report.ts';
import { Teardown } from './teardown.ts';

/** Issue 6's targets. */
export const TARGETS = { confirmedPerSec: 100, p99To202Ms: 50, p99ToConfirmedMs: 1000, rate: 50 } as const;

export interface CheckoutBenchOptions {
  /** Phase A: customers placing orders at once. */
  concurrency: number;
  /** The baseline's connections (the server allows 200, and the services hold some). */
  baselineClients: number;
  /** Phase A: measured seconds (also the baseline's), after `warmupSec` discarded. */
  durationSec: number;
  warmupSec: number;
  /** Phase A: customers (each may place limit + refill orders; see checkout/budget.ts). */
  customers: number;
  /** Phase B: orders per second offered, for `openSec`. */
  rate: number;
  openSec: number;
  /** Products the orders spread over (one line, quantity 1, round robin). */
  products: number;
  /** The top statements by PostgreSQL time to report per phase (pg_stat_statements); 0 for none. */
  statements: number;
  runDir: string;
  log?: (line: string) => void;
}

export interface CheckoutBenchResult {
  benchmark: 'checkout';
  startedAt: string;
  machine: ReturnType<typeof machine>;
  /** Whole-machine CPU % (all cores) in the second before the run, and during each phase: foreign load shows here. */
  machineBusyPercent: { before: number; phaseA: number; baseline: number; phaseB: number };
  settings: Omit<CheckoutBenchOptions, 'runDir' | 'log'> & {
    checkoutBucket: BucketSpec;
    customersB: number;
    platformStartSec: number;
    prepareSec: number;
  };
  phaseA: PhaseResult & { cpu: PartOrderCpu[]; transactions: DatabaseTransactions[] };
  phaseB: PhaseResult & { rate: number; cpu: PartOrderCpu[]; transactions: DatabaseTransactions[] };
  baseline: CommitBaseline;
  /** Phase A's confirmed orders/s ÷ the baseline's commits/s. */
  ratio: number;
  targets: typeof TARGETS;
  pass: boolean;
}

/** A part's CPU over a phase, and per order settled in it. */
export interface PartOrderCpu extends PartCpu {
  /** Share of one core over the phase, %. */
  corePercent: number;
  msPerOrder: number;
}

/** The gateway's checkout bucket as the route table in the repository sets it. */
export function checkoutBucket(routesFile: string): BucketSpec {
  const table = JSON.parse(readFileSync(routesFile, 'utf8')) as {
    rateLimits?: { buckets?: Record<string, BucketSpec> };
  };
  const bucket = table.rateLimits?.buckets?.checkout;
  if (bucket === undefined) throw new Error(`${routesFile} has no checkout bucket`);
  return { limit: bucket.limit, windowSeconds: bucket.windowSeconds };
}

export async function checkoutBench(opts: CheckoutBenchOptions): Promise<CheckoutBenchResult> {
  const log = opts.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const busy = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const before = sampleCpu([]);
    const value = await work();
    return [value, cpuBetween(before, sampleCpu([])).machinePercent];
  };
  const [, before] = await busy(() => new Promise((r) => setTimeout(r, 1000)));
  if (before > 20) log(`warning: the machine was ${before}% busy before the run; expect poor numbers`);
  const bucket = checkoutBucket(join(import.meta.dirname, '..', '..', 'services', 'gateway', 'routes.json'));
  const teardown = new Teardown();
  try {
    const platform = await startPlatform(
      teardown,
      opts.runDir,
      log,
      opts.statements > 0 ? { SHOPNOW_PG_SETTINGS: STATEMENTS_SETTINGS } : {},
    );
    const prepared = performance.now();
    const phaseASec = opts.warmupSec + opts.durationSec;
    const tokensA = ordersPerCustomer(bucket, phaseASec + 5);
    const customersB = customersFor(bucket, opts.rate, opts.openSec);
    const tokensB = ordersPerCustomer(bucket, opts.openSec + 5);
    const maxOrders = opts.customers * tokensA + customersB * tokensB;
    const products = await stockedProducts(
      platform,
      opts.products,
      Math.ceil(maxOrders / opts.products) + 10,
    );
    log(
      `preparing ${opts.customers} + ${customersB} customers (register, log in, address) with ${tokensA} / ${tokensB} card tokens each`,
    );
    const prep = { bucket, concurrency: 3 };
    const groupA = await prepareCustomers(platform.api, platform.processor, {
      ...prep,
      count: opts.customers,
      tokensEach: tokensA,
    });
    const groupB = await prepareCustomers(platform.api, platform.processor, {
      ...prep,
      count: customersB,
      tokensEach: tokensB,
    });
    const prepareSec = Math.round((performance.now() - prepared) / 1000);
    log(`prepared in ${prepareSec}s`);
    const target = (pool: CustomerPool) => ({
      api: platform.api,
      gatewayUrl: platform.sandbox.gatewayUrl,
      products,
      pool,
    });

    const processes = await platformProcesses(platform.sandbox.home);
    const postgres = { port: platform.pgPort, ...platform.secrets.postgres };
    const withCpu = async <P extends PhaseResult>(name: string, work: () => Promise<P>) => {
      if (opts.statements > 0) await resetStatements(postgres);
      const startTransactions = await countTransactions(postgres);
      const start = sampleParts(processes);
      const [phase, machineBusy] = await busy(work);
      const end = sampleParts(processes);
      const transactions = transactionsBetween(
        startTransactions,
        await countTransactions(postgres),
        phase.ordersInPhase,
      );
      const seconds = Math.max(0.001, (end.at - start.at) / 1000);
      const cpu = partsBetween(processes, start, end).map((p) => ({
        ...p,
        corePercent: Math.round(p.cpuMs / 10 / seconds),
        msPerOrder: Math.round((p.cpuMs / Math.max(1, phase.ordersInPhase)) * 10) / 10,
      }));
      if (opts.statements > 0) {
        const statements = await topStatements(postgres, opts.statements);
        const lines = await reportStatements(statements, phase.ordersInPhase, {
          runDir: opts.runDir,
          name: `statements-${name}.txt`,
        });
        log(`  PostgreSQL time by statement (${name}):`);
        for (const line of lines) log(`  ${line}`);
      }
      return [{ ...phase, cpu, transactions }, machineBusy] as const;
    };

    log(`phase A: ${opts.concurrency} customers at once, ${opts.warmupSec}s warm-up + ${opts.durationSec}s`);
    const [phaseA, busyA] = await withCpu('phase-a', () =>
      closedLoop(target(new CustomerPool(groupA)), {
        concurrency: opts.concurrency,
        warmupSec: opts.warmupSec,
        durationSec: opts.durationSec,
      }),
    );
    log(`  ${phaseLine(phaseA)}; machine ${busyA}% busy`);
    log(`  CPU ms per order: ${cpuLine(phaseA.cpu)}`);
    log(`  transactions per order: ${transactionsLine(phaseA.transactions)}`);

    log(`baseline: single-row INSERT commits, ${opts.baselineClients} connections, ${opts.durationSec}s`);
    const [baseline, busyBaseline] = await busy(() =>
      commitBaseline(
        { port: platform.pgPort, ...platform.secrets.postgres },
        { clients: opts.baselineClients, durationSec: opts.durationSec, runDir: opts.runDir },
      ),
    );
    log(
      `  ${baseline.commitsPerSec} commits/s, mean ${baseline.latencyMeanMs} ms; machine ${busyBaseline}% busy`,
    );

    log(`phase B: ${opts.rate} orders/s offered for ${opts.openSec}s`);
    const [phaseBRun, busyB] = await withCpu('phase-b', () =>
      openLoop(target(new CustomerPool(groupB)), { rate: opts.rate, durationSec: opts.openSec }),
    );
    const phaseB = { ...phaseBRun, rate: opts.rate };
    log(`  ${phaseLine(phaseB)}; machine ${busyB}% busy`);
    log(`  CPU ms per order: ${cpuLine(phaseB.cpu)}`);
    log(`  transactions per order: ${transactionsLine(phaseB.transactions)}`);

    const ratio = baseline.commitsPerSec > 0 ? round4(phaseA.confirmedPerSec / baseline.commitsPerSec) : 0;
    const clean = (p: PhaseResult) =>
      p.errors === 0 && p.starved === 0 && Object.keys(p.refused).length === 0 && p.confirmed > 0;
    const result: CheckoutBenchResult = {
      benchmark: 'checkout',
      startedAt,
      machine: machine(),
      machineBusyPercent: { before, phaseA: busyA, baseline: busyBaseline, phaseB: busyB },
      settings: {
        concurrency: opts.concurrency,
        baselineClients: opts.baselineClients,
        durationSec: opts.durationSec,
        warmupSec: opts.warmupSec,
        customers: opts.customers,
        rate: opts.rate,
        openSec: opts.openSec,
        products: products.length,
        statements: opts.statements,
        checkoutBucket: bucket,
        customersB,
        platformStartSec: platform.startSec,
        prepareSec,
      },
      phaseA,
      phaseB,
      baseline,
      ratio,
      targets: TARGETS,
      pass:
        clean(phaseA) &&
        clean(phaseB) &&
        phaseA.confirmedPerSec >= TARGETS.confirmedPerSec &&
        phaseB.to202Ms.p99 < TARGETS.p99To202Ms &&
        phaseB.toConfirmedMs.p99 < TARGETS.p99ToConfirmedMs,
    };
    for (const line of checkoutTable(result).split('\n')) log(line);
    return result;
  } finally {
    await teardown.run();
  }
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** `order 41.2, postgres 30.1, …` (CPU ms per order by part, most first). */
export function cpuLine(parts: PartOrderCpu[]): string {
  const total = Math.round(parts.reduce((sum, p) => sum + p.msPerOrder, 0) * 10) / 10;
  return `${parts.map((p) => `${p.part} ${p.msPerOrder}`).join(', ')}; total ${total}`;
}

/** `shopnow_order 12.5, shopnow_bus 30.2, …; total 80.1` (transactions per order by database). */
export function transactionsLine(databases: DatabaseTransactions[]): string {
  const total = Math.round(databases.reduce((sum, d) => sum + d.perOrder, 0) * 10) / 10;
  return `${databases.map((d) => `${d.database} ${d.perOrder}`).join(', ')}; total ${total}`;
}

function phaseLine(p: PhaseResult): string {
  const cancelled = Object.values(p.cancelled).reduce((a, b) => a + b, 0);
  const refused = Object.values(p.refused).reduce((a, b) => a + b, 0);
  return (
    `${p.orders} orders: ${p.confirmed} confirmed, ${cancelled} cancelled, ${refused} refused, ${p.errors} errors` +
    `${p.starved > 0 ? `, ${p.starved} starved` : ''}; ${p.confirmedPerSec} confirmed/s;` +
    ` to 202 p50 ${p.to202Ms.p50} p99 ${p.to202Ms.p99} ms; to confirmed p50 ${p.toConfirmedMs.p50} p99 ${p.toConfirmedMs.p99} ms` +
    `${p.samples.length > 0 ? `; e.g. ${p.samples[0]}` : ''}`
  );
}

/** The human-readable table logged at the end of a run. */
export function checkoutTable(r: CheckoutBenchResult): string {
  const row = (name: string, p: PhaseResult) =>
    `${name.padEnd(26)} ${String(p.confirmedPerSec).padStart(8)}  ${`${p.to202Ms.p50} / ${p.to202Ms.p99}`.padStart(15)}  ${`${p.toConfirmedMs.p50} / ${p.toConfirmedMs.p99}`.padStart(17)}  ${p.confirmed}/${p.orders}`;
  return [
    'phase                      confirmed/s  202 p50/p99 ms  confirmed p50/p99 ms  confirmed/orders',
    row(`A: closed, ${r.settings.concurrency} at once`, r.phaseA),
    row(`B: open, ${r.phaseB.rate}/s`, r.phaseB),
    `baseline: ${r.baseline.commitsPerSec} commits/s (${r.baseline.clients} connections, ${r.baseline.tool}); ratio ${r.ratio}`,
    `machine busy: before ${r.machineBusyPercent.before}%, A ${r.machineBusyPercent.phaseA}%, baseline ${r.machineBusyPercent.baseline}%, B ${r.machineBusyPercent.phaseB}%`,
  ].join('\n');
}

/** `checkout: 12.3 confirmed orders/s (target ≥ 100) vs 900 commits/s (ratio 0.0137); at 50/s p99 to 202 … FAIL` */
export function checkoutSummaryLine(r: CheckoutBenchResult): string {
  return (
    `checkout: ${r.phaseA.confirmedPerSec} confirmed orders/s (target ≥ ${r.targets.confirmedPerSec})` +
    ` vs ${r.baseline.commitsPerSec} commits/s (ratio ${r.ratio});` +
    ` at ${r.phaseB.rate}/s p99 to 202 ${r.phaseB.to202Ms.p99} ms (target < ${r.targets.p99To202Ms}),` +
    ` to confirmed ${r.phaseB.toConfirmedMs.p99} ms (target < ${r.targets.p99ToConfirmedMs})` +
    ` ${r.pass ? 'PASS' : 'FAIL'}`
  );
}
