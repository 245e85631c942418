// A very short gateway run: proves the harness starts the upstream, nginx, the bare Node proxy and
// the real gateway (auth, rate limit, access log, metrics), that every side answers the bench
// request with the upstream's bytes (a wrong answer or a 401/429 throws), that wrk and the open
// loop measure each side, and that the ratios and the verdict are computed from those numbers.
// The targets are for real runs, not this one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { benchmarks } from '../src/benchmarks.ts';
import { median } from '../src/compare.ts';
import { nginxAvailable } from '../src/gateway/nginx.ts';
import { parseWrk, wrkAvailable } from '../src/gateway/wrk.ts';
import {
  type GatewayBenchResult,
  gatewayBench,
  gatewaySummaryLine,
  P99_DELTA_TARGET_MS,
  RPS_TARGET,
} from '../src/gateway.ts';

const runDir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
after(() => rmSync(runDir, { recursive: true, force: true }));

// CI installs nginx and wrk (.ci/run); elsewhere a machine without them skips rather than fails.
const missing = nginxAvailable() && wrkAvailable() ? false : 'nginx or wrk is not installed';
const skip = process.env.CI ? false : missing;

test('gateway measures nginx, the gateway, a bare Node proxy and the direct call, and compares them', {
  skip,
}, async () => {
  const result = await gatewayBench({
    connections: 4,
    durationSec: 1,
    warmupSec: 0,
    rounds: 1,
    latencySec: 1,
    nginxAuto: false,
    bareNode: true,
    profile: false,
    runDir,
  });
  assert.equal(result.benchmark, 'gateway');
  assert.deepEqual(
    result.sides.map((s) => s.name),
    ['direct', 'nginx', 'gateway', 'bare-node'],
  );
  for (const side of result.sides) {
    assert.ok(side.rps > 0 && side.requests > 0, `${side.name}: ${JSON.stringify(side)}`);
    assert.ok(side.latencyMs.p50 > 0 && side.latencyMs.p99 >= side.latencyMs.p50, side.name);
    assert.match(side.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/items$/);
  }
  const round = result.rounds[0];
  assert.ok(round);
  assert.equal(
    round.ratio,
    Math.round(((round.runs.gateway?.rps ?? 0) / (round.runs.nginx?.rps ?? 1)) * 100) / 100,
  );
  assert.equal(result.ratio, median(result.rounds.map((r) => r.ratio)));
  // CPU per request is read from /proc for each server: the gateway's is measurable in a second.
  assert.ok((gatewaySide(result)?.cpuUsPerRequest ?? 0) > 0);
  assert.ok(result.cpuRatio >= 0);

  // Phase 2 offered half the gateway's measured max to the gateway and to the upstream directly.
  const gateway = gatewaySide(result);
  assert.equal(result.latency.rate, Math.round((gateway?.rps ?? 0) / 2));
  assert.equal(result.latency.gateway.length, 2);
  assert.equal(result.latency.direct.length, 2);
  // The gateway's main thread in each of its rounds: it ran, and waiting for a core is a share of the round.
  assert.equal(result.latency.gatewayMainThread.length, 2);
  for (const thread of result.latency.gatewayMainThread) {
    assert.ok(thread.runMs > 0 && thread.waitMs >= 0 && thread.waitPercent >= 0 && thread.waitPercent < 100);
  }
  for (const run of [...result.latency.gateway, ...result.latency.direct]) {
    assert.equal(run.requests, result.latency.rate);
    assert.equal(run.non2xx + run.errors, 0);
    assert.ok(run.latencyMs.p99 > 0);
  }
  assert.equal(result.pass, result.ratio >= RPS_TARGET && result.latency.p99DeltaMs <= P99_DELTA_TARGET_MS);
  assert.match(
    gatewaySummaryLine(result),
    /^gateway: [\d,]+ rps vs nginx [\d,]+ rps → ratio \d+\.\d\d \(1 round, target ≥ 0\.6\); p99 at [\d,]+ rps [\d.]+ ms vs direct [\d.]+ ms \([+-][\d.]+ ms, target ≤ 3 ms\) (PASS|FAIL)$/,
  );

  // The gateway wrote its access log line per request to a real file, user and limiter included.
  const line = readFileSync(join(runDir, 'gateway.log'), 'utf8')
    .split('\n')
    .find((l) => l.includes('"route":"bench"'));
  assert.ok(line);
  const fields = JSON.parse(line);
  assert.equal(fields.user_id, 'bench-user');
  assert.equal(typeof fields.ratelimit_remaining, 'number');
  // nginx logged too (its buffer is flushed when it stops).
  assert.match(readFileSync(join(runDir, 'nginx', 'access.log'), 'utf8'), /"path":"\/api\/items"/);
});

test('wrk reports are parsed in every unit, with errors and non-2xx answers', () => {
  const report = `Running 10s test @ http://127.0.0.1:8080/api/items
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.50us  301.22us  12.04ms   90.12%
    Req/Sec    78.12k     3.01k   82.00k    71.00%
  Latency Distribution
     50%  760.00us
     75%    0.90ms
     90%    1.10ms
     99%    1.50s
  781234 requests in 10.00s, 250.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  78123.45
Transfer/sec:     25.00MB
`;
  assert.deepEqual(parseWrk('u', report), {
    url: 'u',
    rps: 78123,
    latencyMs: { p50: 0.76, p90: 1.1, p99: 1500, mean: 0.813, max: 12.04 },
    requests: 781234,
    non2xx: 7,
    errors: 3,
  });
});

test('gateway is registered with the CLI, with its own options', () => {
  const benchmark = benchmarks.gateway;
  assert.ok(benchmark);
  assert.deepEqual(Object.keys(benchmark.flags).sort(), [
    'bare-node',
    'connections',
    'duration',
    'latency',
    'nginx-auto',
    'profile',
    'rounds',
    'warmup',
  ]);
});

function gatewaySide(result: GatewayBenchResult) {
  return result.sides.find((s) => s.name === 'gateway');
}
