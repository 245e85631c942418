// A very short product-read run: proves the harness starts everything, drives both sides
// and reports a well-formed result. The 0.5 target is for real runs, not this one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { median } from '../src/compare.ts';
import { productRead } from '../src/product-read.ts';
import { summaryLine, writeResult } from '../src/report.ts';

const runDir = mkdtempSync(join(tmpdir(), 'bench-'));
after(() => rmSync(runDir, { recursive: true, force: true }));

test('product-read measures the service and the bare-Fastify baseline and reports a ratio', async () => {
  const result = await productRead({ connections: 4, durationSec: 1, warmupSec: 1, rounds: 2, runDir });

  assert.equal(result.benchmark, 'product-read');
  assert.equal(result.settings.pipelining, 1);
  assert.equal(result.settings.rounds, 2);
  assert.equal(result.rounds.length, 2);
  for (const round of result.rounds)
    assert.ok(round.subjectRps > 0 && round.baselineRps > 0 && round.ratio > 0);
  assert.equal(result.settings.processesPerSide, 1);
  assert.equal(result.machine.node, process.version);
  for (const side of [result.subject, result.baseline]) {
    assert.ok(side.rps > 0, `${side.name} rps`);
    assert.ok(side.requests > 0);
    assert.equal(side.non2xx, 0);
    assert.equal(side.errors, 0);
    assert.ok(side.latencyMs.p50 >= 0 && side.latencyMs.p99 >= side.latencyMs.p50);
    assert.match(side.url, /^http:\/\/127\.0\.0\.1:\d+\/products\/[^/]+$/);
  }
  assert.equal(result.subject.name, 'product');
  assert.equal(result.baseline.name, 'bare fastify');
  assert.equal(new URL(result.subject.url).pathname, new URL(result.baseline.url).pathname);
  assert.ok(result.ratio > 0);
  assert.equal(result.ratio, median(result.rounds.map((r) => r.ratio)));
  assert.equal(result.pass, result.ratio >= result.target);
  assert.match(
    summaryLine(result),
    /^product-read: [\d,]+ rps vs bare fastify [\d,]+ rps → ratio \d\.\d\d \(median of 2 rounds, target ≥ 0\.5\) (PASS|FAIL)$/,
  );

  // The service logged to a real file (logging is part of what it costs).
  assert.match(readFileSync(join(runDir, 'product.log'), 'utf8'), /"request_id"/);
  const written = JSON.parse(readFileSync(writeResult(runDir, result), 'utf8'));
  assert.deepEqual(written, result);
});
