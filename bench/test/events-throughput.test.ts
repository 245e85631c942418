// A very short events-throughput run: proves the harness starts the producer, the consumer
// process and the transports, times every event, and checks each was handled exactly once
// (a lost or doubled event throws). The p99 target is for real runs, not this one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { benchmarks } from '../src/benchmarks.ts';
import {
  type EventsThroughputResult,
  eventsSummaryLine,
  eventsThroughput,
  type TransportRun,
} from '../src/events-throughput.ts';
import { writeResult } from '../src/report.ts';

const runDir = mkdtempSync(join(tmpdir(), 'bench-events-'));
after(() => rmSync(runDir, { recursive: true, force: true }));

const settings = { rate: 40, durationSec: 1, warmupSec: 1, burstSec: 1, producers: 2, concurrency: 4 };

test('events-throughput times every event end to end on each transport and reports a well-formed result', async () => {
  const result = await eventsThroughput({ ...settings, runDir });

  assert.equal(result.benchmark, 'events-throughput');
  assert.equal(result.machine.node, process.version);
  assert.match(result.postgres.version, /^\d+/);
  assert.deepEqual(result.target, { transport: 'postgres', rate: 500, p99Ms: 100 });
  assert.equal(result.settings.rate, 40);
  assert.equal(result.settings.producers, 2);
  assert.equal(result.settings.consumer, 'child process');

  checkTransport(result.transports.postgres, 'postgres');
  const rabbit = result.transports.rabbitmq;
  if (process.env.SHOPNOW_TEST_AMQP_URL || process.env.AMQP_URL) {
    assert.equal(rabbit.skipped, false, 'a broker is configured, so rabbitmq must run');
    checkTransport(rabbit as TransportRun, 'rabbitmq');
  } else {
    assert.equal(rabbit.skipped, true);
    assert.match((rabbit as { reason: string }).reason, /SHOPNOW_TEST_AMQP_URL/);
  }
  if (!result.pgbench.skipped) assert.ok(result.pgbench.txPerSec > 0 && result.pgbench.clients === 2);

  // At 40/s the rate is far below the target's 500/s, so this run cannot pass the target.
  assert.equal(result.pass, false);
  assert.match(
    eventsSummaryLine(result),
    /^events-throughput: postgres p99 [\d.,]+ ms at 40\/s \(target < 100 ms at 500\/s\) FAIL; max [\d,]+ ev\/s = \d+\.\d\d × INSERT\+COMMIT [\d,]+ tx\/s; rabbitmq (skipped \(.+\)|p99 [\d.,]+ ms at 40\/s, max [\d,]+ ev\/s = \d+\.\d\d × INSERT\+COMMIT [\d,]+ tx\/s)$/,
  );

  // Producer and consumer logged to files of the run.
  assert.ok(readFileSync(join(runDir, 'consumer-postgres.log'), 'utf8') !== undefined);
  const written = JSON.parse(readFileSync(writeResult(runDir, result), 'utf8')) as EventsThroughputResult;
  assert.deepEqual(written, result);
});

test('events-throughput is registered with the CLI, with its own options', () => {
  const benchmark = benchmarks['events-throughput'];
  assert.ok(benchmark);
  assert.deepEqual(Object.keys(benchmark.flags).sort(), [
    'burst',
    'concurrency',
    'duration',
    'producers',
    'rate',
    'warmup',
  ]);
  assert.equal(benchmark.flags.rate?.default, 500);
  // product-read keeps its options and defaults.
  const productRead = benchmarks['product-read'];
  assert.deepEqual(
    Object.fromEntries(Object.entries(productRead?.flags ?? {}).map(([name, flag]) => [name, flag.default])),
    { rounds: 4, duration: 5, warmup: 3, connections: 50 },
  );
});

function checkTransport(run: TransportRun, kind: string): void {
  assert.equal(run.skipped, false);
  assert.equal(run.transport, kind);
  const { latency, throughput, baseline } = run;
  // 40/s for 1 s, plus 1 s of warm-up: each handled exactly once (checked inside the run too).
  assert.equal(latency.events, 40);
  assert.equal(run.exactlyOnce.events, 40 + 40 + throughput.events);
  assert.equal(run.exactlyOnce.handled, run.exactlyOnce.events);
  assert.equal(run.exactlyOnce.lost, 0);
  assert.equal(run.exactlyOnce.doubled, 0);
  assert.equal(run.exactlyOnce.deadLetters, 0);
  assert.ok(latency.committedPerSec > 0 && latency.handledPerSec > 0);
  for (const d of [latency.latencyMs, throughput.latencyMs]) {
    assert.ok(d.p50 > 0, `${kind}: commit-to-handled is positive`);
    assert.ok(d.p50 <= d.p90 && d.p90 <= d.p99 && d.p99 <= d.max);
  }
  assert.ok(latency.producerCommitMs.p50 >= 0);
  assert.ok(throughput.events > 0 && throughput.endToEndPerSec > 0 && throughput.committedPerSec > 0);
  assert.equal(throughput.producers, 2);
  assert.ok(baseline.transactions > 0 && baseline.txPerSec > 0);
  assert.equal(baseline.clients, 2);
  assert.equal(run.ratio, Math.round((throughput.endToEndPerSec / baseline.txPerSec) * 100) / 100);
  assert.ok(Math.abs(run.clock.offsetMs) < 50, `${kind}: the consumer's clock is ours`);
}
