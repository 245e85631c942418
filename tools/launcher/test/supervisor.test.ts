import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from '../src/supervisor/backoff.ts';
import { type ExitInfo, SupervisedProcess } from '../src/supervisor/supervised-process.ts';
import { isAlive } from '../src/system/proc.ts';
import { eventually, tempHome } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));

describe('backoffDelay', () => {
  it('starts fast, doubles, and stops at the ceiling', () => {
    const policy: BackoffPolicy = { initialMs: 100, factor: 2, maxMs: 1000, stableAfterMs: 0 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n)),
      [100, 200, 400, 800, 1000, 1000],
    );
    assert.ok(backoffDelay(DEFAULT_BACKOFF, 0) <= 250, 'the first restart must be near-immediate');
  });
});

describe('SupervisedProcess', () => {
  let dir: { home: string; remove(): Promise<void> };
  const running: SupervisedProcess[] = [];

  before(async () => {
    dir = await tempHome('shopnow-supervisor-');
  });
  after(async () => {
    await Promise.all(running.map((p) => p.stop(500)));
    await dir.remove();
  });

  const supervise = (name: string, env: Record<string, string>, policy: BackoffPolicy) => {
    const proc = new SupervisedProcess(
      {
        name,
        command: process.execPath,
        args: [CHILD],
        env: { ...process.env, PID_FILE: join(dir.home, `${name}.pids`), ...env },
        cwd: dir.home,
        logFile: join(dir.home, `${name}.log`),
      },
      policy,
    );
    const exits: ExitInfo[] = [];
    proc.on('exit', (info) => exits.push(info));
    running.push(proc);
    return {
      proc,
      exits,
      pids: async () => (await readFile(join(dir.home, `${name}.pids`), 'utf8')).trim().split('\n'),
    };
  };

  it('restarts a SIGKILLed process at once with a new pid', async () => {
    const { proc, exits } = supervise('killed', {}, DEFAULT_BACKOFF);
    proc.start();
    const first = await eventually(() => proc.pid, { timeoutMs: 2000, what: 'first spawn' });
    process.kill(first, 'SIGKILL');
    const killedAt = Date.now();
    const second = await eventually(() => (proc.pid && proc.pid !== first ? proc.pid : undefined), {
      timeoutMs: 2000,
      what: 'a restart',
    });
    assert.ok(Date.now() - killedAt < 1000, 'restarted within a second');
    assert.notEqual(second, first);
    assert.equal(exits[0]?.signal, 'SIGKILL');
    assert.equal(exits[0]?.restartInMs, DEFAULT_BACKOFF.initialMs);
    assert.equal(proc.restarts, 1);
    await proc.stop(1000);
  });

  it('backs off exponentially while the process keeps crashing', async () => {
    const policy: BackoffPolicy = { initialMs: 50, factor: 2, maxMs: 400, stableAfterMs: 60_000 };
    const { proc, exits, pids } = supervise('crashy', { CRASH_AFTER_MS: '10' }, policy);
    proc.start();
    await eventually(() => exits.length >= 5 || undefined, { timeoutMs: 10_000, what: 'five crashes' });
    await proc.stop(500);
    assert.deepEqual(
      exits.slice(0, 5).map((e) => e.restartInMs),
      [50, 100, 200, 400, 400],
    );
    assert.ok(exits.every((e) => e.code === 1));
    assert.ok((await pids()).length >= 5, 'each restart is a new process');
  });

  it('starts again from the first delay after a stable period', async () => {
    const policy: BackoffPolicy = { initialMs: 50, factor: 2, maxMs: 5000, stableAfterMs: 200 };
    const { proc, exits } = supervise('stable', { CRASH_AFTER_MS: '300' }, policy);
    proc.start();
    await eventually(() => exits.length >= 3 || undefined, { timeoutMs: 10_000, what: 'three crashes' });
    await proc.stop(500);
    assert.deepEqual(
      exits.slice(0, 3).map((e) => e.restartInMs),
      [50, 50, 50],
    );
  });

  it('stops with SIGTERM and does not restart', async () => {
    const { proc, exits } = supervise('polite', {}, DEFAULT_BACKOFF);
    proc.start();
    const pid = await eventually(() => proc.pid, { timeoutMs: 2000, what: 'spawn' });
    await eventually(
      async () => (await readFile(join(dir.home, 'polite.log'), 'utf8')).includes('up') || undefined,
      {
        timeoutMs: 5000,
        what: 'the child to install its handlers',
      },
    );
    await proc.stop(5000);
    assert.equal(proc.state, 'stopped');
    assert.equal(exits.at(-1)?.code, 0, 'exited on its own after SIGTERM');
    assert.equal(exits.at(-1)?.restartInMs, undefined);
    assert.equal(isAlive(pid), false);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(proc.pid, undefined, 'no restart after stop');
    assert.match(await readFile(join(dir.home, 'polite.log'), 'utf8'), /got SIGTERM/);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const { proc, exits } = supervise('stubborn', { IGNORE_SIGTERM: '1' }, DEFAULT_BACKOFF);
    proc.start();
    const pid = await eventually(() => proc.pid, { timeoutMs: 2000, what: 'spawn' });
    await eventually(
      async () => (await readFile(join(dir.home, 'stubborn.log'), 'utf8')).includes('up') || undefined,
      {
        timeoutMs: 5000,
        what: 'the child to install its handlers',
      },
    );
    const started = performance.now();
    await proc.stop(300);
    // A few ms of slack: a timer may fire a hair early against a clock read elsewhere.
    const waited = performance.now() - started;
    assert.ok(waited >= 290, `waited for the grace period (${waited.toFixed(1)} ms)`);
    assert.equal(exits.at(-1)?.signal, 'SIGKILL');
    assert.equal(isAlive(pid), false);
  });

  it('stopping during a backoff wait cancels the restart', async () => {
    const policy: BackoffPolicy = { initialMs: 500, factor: 2, maxMs: 5000, stableAfterMs: 60_000 };
    const { proc, exits } = supervise('waiting', { CRASH_AFTER_MS: '10' }, policy);
    proc.start();
    await eventually(() => (proc.state === 'backoff' ? true : undefined), {
      timeoutMs: 5000,
      what: 'backoff',
    });
    await proc.stop(500);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(exits.length, 1);
    assert.equal(proc.state, 'stopped');
    assert.equal(proc.pid, undefined);
  });
});
