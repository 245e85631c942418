// A very short identity run: proves the harness starts the real auth and token services, logs in
// through them (a failed login throws), measures the argon2id and Ed25519 baselines and reports a
// well-formed result. The numbers are for real runs, not this one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { benchmarks } from '../src/benchmarks.ts';
import { identityBench, identitySummaryLine } from '../src/identity.ts';

const runDir = mkdtempSync(join(tmpdir(), 'bench-identity-'));
after(() => rmSync(runDir, { recursive: true, force: true }));

test('identity logs in through auth and token, and measures both baselines', async () => {
  const result = await identityBench({ connections: 2, durationSec: 1, warmupSec: 0, runDir });
  assert.equal(result.benchmark, 'identity');
  assert.ok(result.login.requests > 0 && result.login.perSec > 0, JSON.stringify(result.login));
  assert.ok(result.argon2PerSec > 0);
  assert.ok(result.verification.verifierPerSec > 0 && result.verification.signaturePerSec > 0);
  assert.equal(result.settings.argon2.memory, 19_456);
  assert.match(
    identitySummaryLine(result),
    /^identity: login [\d.,]+\/s, p99 [\d.,]+ ms \(2 at once\) = \d+\.\d\d × argon2id alone [\d.,]+\/s; token verification [\d,]+\/s per core = \d+\.\d\d × bare Ed25519 [\d,]+\/s$/,
  );
});

test('identity is registered with the CLI, with its own options', () => {
  const benchmark = benchmarks.identity;
  assert.ok(benchmark);
  assert.deepEqual(Object.keys(benchmark.flags).sort(), ['connections', 'duration', 'warmup']);
});
