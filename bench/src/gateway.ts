// gateway: the API gateway with authentication, rate limiting, its access log and metrics on,
// against nginx as a plain reverse proxy and against calling the upstream directly; all in one
// run, same upstream (nginx answering a constant JSON), same load tool (wrk), same connections.
// Phase 1 (closed loop, wrk): max requests/s and p50/p99 of each side, in interleaved rounds.
// Phase 2 (open loop at half the gateway's max): p99 through the gateway against direct.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Child, residentMemoryMb } from './child.ts';
import { median } from './compare.ts';
import { cpuBetween, sampleCpu, sampleMainThread, scheduleBetween } from './gateway/cpu.ts';
import { nginxAvailable, proxyConfig, startNginx, upstreamConfig, type Workers } from './gateway/nginx.ts';
import { type OpenLoopResult, openLoop } from './gateway/open-loop.ts';
import {
  BENCH_PATH,
  BENCH_TIER,
  BENCH_TIER_LIMIT,
  UPSTREAM_BODY,
  writeBenchRouteTable,
} from './gateway/route-table.ts';
import { startTokenStub } from './gateway/token-stub.ts';
import { type WrkResult, wrk, wrkAvailable } from './gateway/wrk.ts';
import { round2 } from './load.ts';
import { machine } from './report.ts';
import { startServer } from './servers.ts';
import { Teardown } from './teardown.ts';

/** Issue 5: gateway requests/s ≥ 0.6 × nginx's. */
export const RPS_TARGET = 0.6;
/** Issue 5: at half its max, the gateway's p99 within 3 ms of the direct call's. */
export const P99_DELTA_TARGET_MS = 3;

export interface GatewayBenchOptions {
  /** Concurrent connections of every side, in both phases. */
  connections: number;
  /** Measured seconds per side in each round of phase 1. */
  durationSec: number;
  /** Discarded seconds of load on each side before phase 1 (and up to 2 s before phase 2). */
  warmupSec: number;
  /** Rounds of phase 1; each measures every side, the order alternating. */
  rounds: number;
  /** Seconds per side of each of the two rounds of phase 2. */
  latencySec: number;
  /** Also measure nginx with `worker_processes auto` (one worker per core). */
  nginxAuto: boolean;
  /** Also measure a bare Node proxy (node:http + undici, no features): the floor for one Node process. */
  bareNode: boolean;
  /** Run the gateway with `--cpu-prof`; the profile lands in runDir. */
  profile: boolean;
  runDir: string;
  log?: (line: string) => void;
}

type SideName = 'direct' | 'nginx' | 'gateway' | 'bare-node' | 'nginx-auto';

type MainThreadSchedule = NonNullable<ReturnType<typeof scheduleBetween>>;

export interface SideRun extends WrkResult {
  /** CPU of the side's server process(es), % of one core; the upstream's; the whole machine's, % of all cores. */
  cpu: { server: number; upstream: number; machine: number };
}

export interface SideSummary {
  name: SideName;
  url: string;
  /** Means over the rounds. */
  rps: number;
  latencyMs: { p50: number; p99: number };
  cpu: SideRun['cpu'];
  /** CPU of the server per request, µs (server cpu ÷ rps): what a request costs, whatever the share of the core it got. */
  cpuUsPerRequest: number;
  requests: number;
  /** Resident memory after the run, MiB (Linux only). */
  rssMb: number | undefined;
}

export interface GatewayBenchResult {
  benchmark: 'gateway';
  startedAt: string;
  machine: ReturnType<typeof machine>;
  /** CPU use of the whole machine (% of all cores) in the second before the run: foreign load. */
  busyBeforePercent: number;
  settings: {
    connections: number;
    durationSec: number;
    warmupSec: number;
    rounds: number;
    latencySec: number;
    loadTool: string;
    upstream: string;
    nginxWorkers: Workers;
    gateway: string;
    bodyBytes: number;
  };
  sides: SideSummary[];
  rounds: Array<{ runs: Partial<Record<SideName, SideRun>>; ratio: number }>;
  /** gateway rps / nginx rps: the median of the rounds' ratios. */
  ratio: number;
  /** gateway rps / direct rps, the same way. */
  ratioToDirect: number;
  /**
   * nginx's CPU per request ÷ the gateway's, the median over rounds: the rps ratio the two would
   * reach each on a core of its own. Unlike `ratio`, it does not move when other work on the
   * machine takes more of one side's core than of the other's.
   */
  cpuRatio: number;
  latency: {
    /** Offered requests/s: half the gateway's max. */
    rate: number;
    gateway: OpenLoopResult[];
    direct: OpenLoopResult[];
    /**
     * The gateway's main thread in each of its rounds (Linux schedstat): time on a core, and time
     * runnable but waiting for one, which the requests in hand wait out too.
     */
    gatewayMainThread: MainThreadSchedule[];
    /** Means over the rounds. */
    gatewayP99Ms: number;
    directP99Ms: number;
    p99DeltaMs: number;
  };
  targets: { ratio: number; p99DeltaMs: number };
  pass: boolean;
}

export async function gatewayBench(opts: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const log = opts.log ?? (() => {});
  if (!nginxAvailable()) throw new Error('nginx is not installed (apt-get install nginx)');
  if (!wrkAvailable()) throw new Error('wrk is not installed (apt-get install wrk)');
  const startedAt = new Date().toISOString();
  // What else the machine does: every number below shares its cores with that.
  const idle = sampleCpu([]);
  await sleep(1000);
  const busyBeforePercent = cpuBetween(idle, sampleCpu([])).machinePercent;
  if (busyBeforePercent > 20) {
    log(`warning: the machine was ${busyBeforePercent}% busy before the run started; expect noisy numbers`);
  }
  const teardown = new Teardown();
  try {
    const upstream = await startNginx(teardown, opts.runDir, 'upstream', (dir, port) =>
      upstreamConfig({ dir, port, body: UPSTREAM_BODY }),
    );
    const token = await startTokenStub(teardown);
    const bearer = await token.issuer.user('bench-user', {
      tier: BENCH_TIER,
      roles: ['customer'],
      expiresIn: 3600,
    });
    const headers = { Authorization: `Bearer ${bearer}` };

    const nginx = await startNginx(teardown, opts.runDir, 'nginx', (dir, port) =>
      proxyConfig({ dir, port, upstreamUrl: upstream.url, workers: 1 }),
    );
    const nginxAuto = opts.nginxAuto
      ? await startNginx(teardown, opts.runDir, 'nginx-auto', (dir, port) =>
          proxyConfig({ dir, port, upstreamUrl: upstream.url, workers: 'auto' }),
        )
      : undefined;
    const bareNode = opts.bareNode
      ? await startServer(teardown, opts.runDir, 'bare-node', {
          args: ['bench/src/gateway/bare-proxy.ts'],
          env: { UPSTREAM_URL: upstream.url },
          readyPath: BENCH_PATH,
        })
      : undefined;
    const gatewayArgs = [
      ...(opts.profile ? ['--cpu-prof', '--cpu-prof-dir', opts.runDir] : []),
      '--import',
      '@shopnow/chassis/tracing',
      'services/gateway/src/main.ts',
    ];
    log(`gateway: starting${opts.profile ? ' with --cpu-prof' : ''}`);
    const gateway = await startServer(teardown, opts.runDir, 'gateway', {
      args: gatewayArgs,
      env: {
        ROUTES_FILE: writeBenchRouteTable(opts.runDir),
        DISCOVERY: 'static',
        SERVICE_URLS: `bench=${upstream.url},token=${token.url}`,
        LOG_LEVEL: 'info',
      },
      readyPath: '/health/ready',
    });

    const targets: Array<{ name: SideName; url: string; child: Child }> = [
      { name: 'direct', url: `${upstream.url}${BENCH_PATH}`, child: upstream.child },
      { name: 'nginx', url: `${nginx.url}${BENCH_PATH}`, child: nginx.child },
      { name: 'gateway', url: `${gateway.url}${BENCH_PATH}`, child: gateway.child },
      ...(bareNode
        ? [{ name: 'bare-node' as const, url: `${bareNode.url}${BENCH_PATH}`, child: bareNode.child }]
        : []),
      ...(nginxAuto
        ? [{ name: 'nginx-auto' as const, url: `${nginxAuto.url}${BENCH_PATH}`, child: nginxAuto.child }]
        : []),
    ];
    for (const target of targets) await checkSide(target.name, target.url, headers);
    await checkGatewayLogged(gateway.child.logFile);
    const pid = (child: Child) => child.process.pid ?? 0;

    const settings = { connections: opts.connections, headers };
    if (opts.warmupSec > 0) {
      log(`warm-up: ${opts.warmupSec}s on each side`);
      for (const target of targets) await wrk(target.url, { ...settings, durationSec: opts.warmupSec });
    }
    const rounds: GatewayBenchResult['rounds'] = [];
    for (let i = 0; i < opts.rounds; i++) {
      const order = i % 2 === 0 ? targets : [...targets].reverse();
      const runs: Partial<Record<SideName, SideRun>> = {};
      for (const target of order) {
        log(
          `round ${i + 1}/${opts.rounds}: ${target.name}, ${opts.durationSec}s, ${opts.connections} connections`,
        );
        const pids = [pid(target.child), pid(upstream.child)];
        const before = sampleCpu(pids);
        const measured = await wrk(target.url, { ...settings, durationSec: opts.durationSec });
        const cpu = cpuBetween(before, sampleCpu(pids));
        runs[target.name] = {
          ...measured,
          cpu: {
            server: cpu.trees[0] ?? 0,
            upstream: target.name === 'direct' ? 0 : (cpu.trees[1] ?? 0),
            machine: cpu.machinePercent,
          },
        };
        log(
          `  ${target.name}: ${measured.rps} rps, p50 ${measured.latencyMs.p50} ms, p99 ${measured.latencyMs.p99} ms, cpu ${cpu.trees[0]}%`,
        );
      }
      const g = runs.gateway?.rps ?? 0;
      const n = runs.nginx?.rps ?? 0;
      rounds.push({ runs, ratio: n > 0 ? round2(g / n) : 0 });
    }
    const ratio = median(rounds.map((r) => r.ratio));
    const ratioToDirect = median(
      rounds.map((r) => round2((r.runs.gateway?.rps ?? 0) / Math.max(1, r.runs.direct?.rps ?? 0))),
    );
    const cpuRatio = median(
      rounds.map((r) => {
        const g = r.runs.gateway;
        const n = r.runs.nginx;
        return g && n && g.cpu.server > 0 ? round2(usPerRequest(n) / usPerRequest(g)) : 0;
      }),
    );
    const sides = targets.map((t) => summarize(t.name, t.url, t.child, rounds));

    const gatewayMax = sides.find((s) => s.name === 'gateway')?.rps ?? 0;
    const rate = Math.max(1, Math.round(gatewayMax / 2));
    const latencyTargets = targets.filter((t) => t.name === 'direct' || t.name === 'gateway');
    const loop = { rate, connections: opts.connections, headers };
    const latencyWarmupSec = Math.min(2, opts.warmupSec);
    log(
      `phase 2: ${rate} requests/s offered (half the gateway's max), warm-up ${latencyWarmupSec}s on each side`,
    );
    if (latencyWarmupSec > 0) {
      for (const target of latencyTargets)
        await openLoop(target.url, { ...loop, durationSec: latencyWarmupSec });
    }
    const latency = {
      gateway: [] as OpenLoopResult[],
      direct: [] as OpenLoopResult[],
      gatewayMainThread: [] as MainThreadSchedule[],
    };
    for (let i = 0; i < 2; i++) {
      const order = i % 2 === 0 ? latencyTargets : [...latencyTargets].reverse();
      for (const target of order) {
        log(`latency round ${i + 1}/2: ${target.name}, ${rate} rps for ${opts.latencySec}s`);
        const schedBefore = sampleMainThread(pid(target.child));
        const measured = await openLoop(target.url, { ...loop, durationSec: opts.latencySec });
        const schedule = scheduleBetween(schedBefore, sampleMainThread(pid(target.child)));
        if (measured.non2xx > 0 || measured.errors > 0) {
          throw new Error(
            `${target.url}: ${measured.non2xx} non-2xx answers and ${measured.errors} errors at ${rate} rps`,
          );
        }
        log(
          `  ${target.name}: p50 ${measured.latencyMs.p50} ms, p99 ${measured.latencyMs.p99} ms, max ${measured.latencyMs.max} ms (${measured.achievedRps} rps done)`,
        );
        if (target.name === 'gateway' && schedule !== undefined) {
          log(
            `  gateway main thread: ${schedule.runMs} ms on a core, ${schedule.waitMs} ms runnable but waiting for one (${schedule.waitPercent}% of the round)`,
          );
          latency.gatewayMainThread.push(schedule);
        }
        latency[target.name as 'gateway' | 'direct'].push(measured);
      }
    }
    const meanP99 = (runs: OpenLoopResult[]) =>
      round2(runs.reduce((sum, r) => sum + r.latencyMs.p99, 0) / Math.max(1, runs.length));
    const gatewayP99Ms = meanP99(latency.gateway);
    const directP99Ms = meanP99(latency.direct);
    const p99DeltaMs = round2(gatewayP99Ms - directP99Ms);

    const result: GatewayBenchResult = {
      benchmark: 'gateway',
      startedAt,
      machine: machine(),
      busyBeforePercent,
      settings: {
        connections: opts.connections,
        durationSec: opts.durationSec,
        warmupSec: opts.warmupSec,
        rounds: opts.rounds,
        latencySec: opts.latencySec,
        loadTool: 'wrk -t1 (phase 1); undici open loop (phase 2)',
        upstream: 'nginx, 1 worker, return 200 <constant JSON>',
        nginxWorkers: 1,
        gateway: `1 process; auth user (Ed25519 JWT), rate limit tier ${BENCH_TIER} ${BENCH_TIER_LIMIT}/min, access log to a file, metrics`,
        bodyBytes: Buffer.byteLength(UPSTREAM_BODY),
      },
      sides,
      rounds,
      ratio,
      ratioToDirect,
      cpuRatio,
      latency: { rate, ...latency, gatewayP99Ms, directP99Ms, p99DeltaMs },
      targets: { ratio: RPS_TARGET, p99DeltaMs: P99_DELTA_TARGET_MS },
      pass: ratio >= RPS_TARGET && p99DeltaMs <= P99_DELTA_TARGET_MS,
    };
    for (const line of gatewayTable(result).split('\n')) log(line);
    return result;
  } finally {
    await teardown.run();
  }
}

/** One request with the benchmark's headers: 200 and the upstream's exact bytes, or the run stops. */
async function checkSide(name: SideName, url: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status !== 200 || body !== UPSTREAM_BODY) {
    throw new Error(`${name}: ${url} answered ${res.status}: ${body.slice(0, 300)}`);
  }
  // The gateway must have counted the request against the bench user's bucket (draft-10 headers).
  if (name === 'gateway' && !/remaining|r=/.test(res.headers.get('ratelimit') ?? '')) {
    throw new Error(
      `gateway: no RateLimit header, the limiter did not run (got ${res.headers.get('ratelimit')})`,
    );
  }
}

/** The access log line of the check request reached the gateway's log file (lines are batched). */
async function checkGatewayLogged(logFile: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (readFileSync(logFile, 'utf8').includes('"route":"bench"')) return;
    await sleep(20);
  }
  throw new Error(`gateway: no access log line for the bench route in ${logFile}`);
}

function summarize(
  name: SideName,
  url: string,
  child: Child,
  rounds: GatewayBenchResult['rounds'],
): SideSummary {
  const runs = rounds.map((r) => r.runs[name]).filter((r): r is SideRun => r !== undefined);
  const mean = (pick: (r: SideRun) => number) =>
    runs.reduce((sum, r) => sum + pick(r), 0) / Math.max(1, runs.length);
  return {
    name,
    url,
    rps: Math.round(mean((r) => r.rps)),
    latencyMs: { p50: round2(mean((r) => r.latencyMs.p50)), p99: round2(mean((r) => r.latencyMs.p99)) },
    cpu: {
      server: Math.round(mean((r) => r.cpu.server)),
      upstream: Math.round(mean((r) => r.cpu.upstream)),
      machine: Math.round(mean((r) => r.cpu.machine)),
    },
    cpuUsPerRequest: Math.round(mean(usPerRequest)),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    rssMb: residentMemoryMb(child),
  };
}

/** µs of the server's CPU per request in one run. */
function usPerRequest(run: SideRun): number {
  return run.rps > 0 ? (run.cpu.server / 100 / run.rps) * 1e6 : 0;
}

const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const LABELS: Record<SideName, string> = {
  direct: 'direct (upstream)',
  nginx: 'nginx, 1 worker',
  gateway: 'gateway',
  'bare-node': 'bare Node proxy',
  'nginx-auto': 'nginx, auto workers',
};

/** The human-readable table logged at the end of a run. */
export function gatewayTable(r: GatewayBenchResult): string {
  const lines = [
    'side                      rps  p50 ms  p99 ms  µs cpu/req  cpu server/upstream/machine',
    ...r.sides.map(
      (s) =>
        `${LABELS[s.name].padEnd(20)} ${count(s.rps).padStart(8)}  ${String(s.latencyMs.p50).padStart(6)}  ${String(s.latencyMs.p99).padStart(6)}  ${String(s.cpuUsPerRequest).padStart(10)}  ${s.cpu.server}% / ${s.cpu.upstream}% / ${s.cpu.machine}%`,
    ),
    `round ratios gateway/nginx: ${r.rounds.map((x) => x.ratio.toFixed(2)).join(' ')}; median ${r.ratio.toFixed(2)}; by CPU per request ${r.cpuRatio.toFixed(2)}`,
    `machine busy before the run: ${r.busyBeforePercent}%`,
    `at ${count(r.latency.rate)} rps: gateway p99 ${r.latency.gatewayP99Ms} ms, direct p99 ${r.latency.directP99Ms} ms`,
  ];
  return lines.join('\n');
}

/** `gateway: 9,000 rps vs nginx 20,000 rps → ratio 0.45 (…, target ≥ 0.6); p99 at 4,500 rps … FAIL` */
export function gatewaySummaryLine(r: GatewayBenchResult): string {
  const gateway = r.sides.find((s) => s.name === 'gateway');
  const nginx = r.sides.find((s) => s.name === 'nginx');
  const rounds = r.rounds.length === 1 ? '1 round' : `median of ${r.rounds.length} rounds`;
  const delta = `${r.latency.p99DeltaMs >= 0 ? '+' : ''}${r.latency.p99DeltaMs.toFixed(2)}`;
  return (
    `gateway: ${count(gateway?.rps ?? 0)} rps vs nginx ${count(nginx?.rps ?? 0)} rps → ratio ${r.ratio.toFixed(2)}` +
    ` (${rounds}, target ≥ ${r.targets.ratio});` +
    ` p99 at ${count(r.latency.rate)} rps ${r.latency.gatewayP99Ms.toFixed(2)} ms vs direct ${r.latency.directP99Ms.toFixed(2)} ms` +
    ` (${delta} ms, target ≤ ${r.targets.p99DeltaMs} ms) ${r.pass ? 'PASS' : 'FAIL'}`
  );
}
