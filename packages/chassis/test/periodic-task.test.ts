// The background loop services run beside their app: real timers, a real pino logger writing to a
// capture, and passes the test holds open to prove that they never overlap and that stop() waits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, startPeriodicTask } from '../src/index.ts';
import { captureLogs } from './support/log-capture.ts';

const logs = () => {
  const capture = captureLogs();
  return { capture, logger: createLogger({ service: 'test', version: 'test', stream: capture.stream }) };
};

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await sleep(5);
  }
}

test('runs a pass every interval until stopped, then none', async () => {
  const { logger } = logs();
  let passes = 0;
  const task = startPeriodicTask({
    intervalMs: 10,
    run: async () => {
      passes += 1;
    },
    logger,
    failureMessage: 'pass failed',
  });
  await until('three passes', () => passes >= 3);
  await task.stop();
  const after = passes;
  await sleep(50);
  assert.equal(passes, after, 'no pass after stop()');
});

test('never starts a pass while the last one runs; stop() waits for it and aborts its signal', async () => {
  const { logger } = logs();
  let started = 0;
  let release: () => void = () => {};
  let signalSeen: AbortSignal | undefined;
  const task = startPeriodicTask({
    intervalMs: 5,
    run: (signal) => {
      started += 1;
      signalSeen = signal;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    logger,
    failureMessage: 'pass failed',
  });
  await until('the first pass', () => started === 1);
  await sleep(60); // a dozen ticks while the pass is held open
  assert.equal(started, 1, 'ticks during a pass are skipped');

  let stopped = false;
  const stopping = task.stop().then(() => {
    stopped = true;
  });
  await sleep(20);
  assert.equal(signalSeen?.aborted, true, 'the running pass is told to end');
  assert.equal(stopped, false, 'stop() waits for the pass in hand');
  release();
  await stopping;
  assert.equal(started, 1);
});

test('a failed pass is logged with the message and the error, and the next tick runs again', async () => {
  const { capture, logger } = logs();
  let passes = 0;
  const task = startPeriodicTask({
    intervalMs: 10,
    run: async () => {
      passes += 1;
      if (passes === 1) throw new Error('database away');
    },
    logger,
    failureMessage: 'reservation sweep failed',
  });
  try {
    await until('a pass after the failed one', () => passes >= 2);
  } finally {
    await task.stop();
  }
  const failures = capture.lines.filter((line) => line.msg === 'reservation sweep failed');
  assert.equal(failures.length, 1);
  assert.equal(failures[0]?.level, 'error');
  assert.match(String((failures[0]?.err as { message?: string } | undefined)?.message), /database away/);
});
