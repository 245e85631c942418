import { DEFAULT_CONCURRENCY } from '@shopnow/events';
import { checkoutBench, checkoutSummaryLine } from './checkout.ts';
import { eventsSummaryLine, eventsThroughput } from './events-throughput.ts';
import { gatewayBench, gatewaySummaryLine } from './gateway.ts';
import { identityBench, identitySummaryLine } from './identity.ts';
import { productRead } from './product-read.ts';
import { summaryLine } from './report.ts';

/** An integer command-line option of a benchmark. */
export interface Flag {
  /** `<n>` or `<s>` in the usage text. */
  arg: string;
  help: string;
  default: number;
  /** Smallest accepted value; default 1. */
  min?: number;
}

export interface BenchmarkContext {
  /** Where the run's logs (and, written by the CLI, result.json) go. */
  runDir: string;
  /** Progress lines (to stderr in the CLI). */
  log: (line: string) => void;
}

export interface Benchmark<R extends { pass: boolean } = { pass: boolean }, F extends string = string> {
  description: string;
  flags: Record<F, Flag>;
  run(values: Record<F, number>, ctx: BenchmarkContext): Promise<R>;
  /** The one line printed after the JSON result. */
  summary(result: R): string;
}

const define = <R extends { pass: boolean }, F extends string>(benchmark: Benchmark<R, F>): Benchmark =>
  benchmark as unknown as Benchmark;

/** Every benchmark `npm run bench -- <name>` knows; each measures its own baseline in the same run. */
export const benchmarks: Record<string, Benchmark> = {
  'product-read': define({
    description: 'GET /products/:id through the full chassis vs a bare Fastify route answering a constant',
    flags: {
      rounds: {
        arg: '<n>',
        help: 'rounds, each measuring both sides, alternating which goes first',
        default: 4,
      },
      duration: { arg: '<s>', help: 'measured seconds per side in each round', default: 5 },
      warmup: {
        arg: '<s>',
        help: 'discarded seconds of load on each side before the first round',
        default: 3,
        min: 0,
      },
      connections: { arg: '<n>', help: 'concurrent connections, the same on both sides', default: 50 },
    },
    run: (v, ctx) =>
      productRead({
        connections: v.connections,
        durationSec: v.duration,
        warmupSec: v.warmup,
        rounds: v.rounds,
        ...ctx,
      }),
    summary: summaryLine,
  }),
  'events-throughput': define({
    description:
      'events commit → handler committed per transport (p50/p99 at a steady rate, max events/s) vs INSERT+COMMIT',
    flags: {
      rate: { arg: '<n>', help: 'events per second offered in the latency run', default: 500 },
      duration: { arg: '<s>', help: 'seconds of the latency run', default: 10 },
      warmup: {
        arg: '<s>',
        help: 'discarded seconds at the rate before it (the first seconds after start run cold: JIT, query plans, connections)',
        default: 8,
        min: 0,
      },
      burst: {
        arg: '<s>',
        help: 'seconds of the throughput run and of the INSERT+COMMIT baseline',
        default: 5,
      },
      producers: {
        arg: '<n>',
        help: 'concurrent producer clients (throughput run and baseline)',
        default: 8,
      },
      concurrency: {
        arg: '<n>',
        help: "the consumer group's deliveries in flight",
        default: DEFAULT_CONCURRENCY,
      },
    },
    run: (v, ctx) =>
      eventsThroughput({
        rate: v.rate,
        durationSec: v.duration,
        warmupSec: v.warmup,
        burstSec: v.burst,
        producers: v.producers,
        concurrency: v.concurrency,
        ...ctx,
      }),
    summary: eventsSummaryLine,
  }),
  identity: define({
    description:
      'login through auth + token vs bare argon2id at the same concurrency; access-token verification per core vs bare Ed25519',
    flags: {
      connections: { arg: '<n>', help: 'concurrent logins (and argon2id runs in the baseline)', default: 8 },
      duration: { arg: '<s>', help: 'measured seconds of each part', default: 10 },
      warmup: { arg: '<s>', help: 'discarded seconds of logins first', default: 3, min: 0 },
    },
    run: (v, ctx) =>
      identityBench({ connections: v.connections, durationSec: v.duration, warmupSec: v.warmup, ...ctx }),
    summary: identitySummaryLine,
  }),
  gateway: define({
    description:
      "the gateway (auth, rate limit, access log, metrics) vs nginx as a plain reverse proxy vs the direct call, same upstream; then p99 at half the gateway's max",
    flags: {
      rounds: {
        arg: '<n>',
        help: 'rounds of the max-throughput phase, each measuring every side, the order alternating',
        default: 3,
      },
      duration: { arg: '<s>', help: 'measured seconds per side in each round', default: 10 },
      warmup: {
        arg: '<s>',
        help: 'discarded seconds of load on each side before the first round',
        default: 3,
        min: 0,
      },
      connections: { arg: '<n>', help: 'concurrent connections, the same for every side', default: 64 },
      latency: {
        arg: '<s>',
        help: "seconds per side of each of the 2 rounds at half the gateway's max (open loop)",
        default: 10,
      },
      'nginx-auto': {
        arg: '<0|1>',
        help: 'also measure nginx with worker_processes auto',
        default: 1,
        min: 0,
      },
      'bare-node': {
        arg: '<0|1>',
        help: 'also measure a bare Node proxy (node:http + undici, no features), the floor for one Node process',
        default: 1,
        min: 0,
      },
      profile: {
        arg: '<0|1>',
        help: 'run the gateway with --cpu-prof (profile in the run folder)',
        default: 0,
        min: 0,
      },
    },
    run: (v, ctx) =>
      gatewayBench({
        connections: v.connections,
        durationSec: v.duration,
        warmupSec: v.warmup,
        rounds: v.rounds,
        latencySec: v.latency,
        nginxAuto: v['nginx-auto'] > 0,
        bareNode: v['bare-node'] > 0,
        profile: v.profile > 0,
        ...ctx,
      }),
    summary: gatewaySummaryLine,
  }),
  checkout: define({
    description:
      'orders end to end through the gateway on the embedded runtime (confirmed orders/s, p99 to 202 and to confirmed at a fixed rate) vs single-row INSERT commits/s on the same Postgres',
    flags: {
      concurrency: {
        arg: '<n>',
        help: 'phase A: customers ordering at once (closed loop)',
        default: 64,
      },
      'baseline-clients': {
        arg: '<n>',
        help: 'connections of the INSERT commit baseline',
        default: 32,
      },
      duration: { arg: '<s>', help: 'phase A measured seconds (and the baseline)', default: 20 },
      warmup: { arg: '<s>', help: 'phase A discarded seconds first', default: 5, min: 0 },
      customers: {
        arg: '<n>',
        help: "phase A customers (the gateway's checkout bucket allows each 10 orders, then 1 per 6 s)",
        default: 220,
      },
      rate: { arg: '<n>', help: 'phase B: orders per second offered (open loop)', default: 50 },
      open: { arg: '<s>', help: 'phase B seconds', default: 20 },
      products: { arg: '<n>', help: 'products the orders spread over (one line each)', default: 20 },
      statements: {
        arg: '<n>',
        help: 'report the top n statements by PostgreSQL time per phase (loads pg_stat_statements; 0 = off)',
        default: 0,
        min: 0,
      },
    },
    run: (v, ctx) =>
      checkoutBench({
        concurrency: v.concurrency,
        baselineClients: v['baseline-clients'],
        durationSec: v.duration,
        warmupSec: v.warmup,
        customers: v.customers,
        rate: v.rate,
        openSec: v.open,
        products: v.products,
        statements: v.statements,
        ...ctx,
      }),
    summary: checkoutSummaryLine,
  }),
};
