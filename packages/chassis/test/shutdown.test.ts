import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, type TestDatabase, testDatabase } from '@shopnow/testkit';
import { request } from 'undici';

const fixture = fileURLToPath(new URL('./fixtures/slow-service.ts', import.meta.url));

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
});
after(() => db.drop());

interface Service {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  lines: Array<Record<string, unknown>>;
  waitForLine(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [fixture], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    let end = buffered.indexOf('\n');
    while (end !== -1) {
      lines.push(JSON.parse(buffered.slice(0, end)) as Record<string, unknown>);
      buffered = buffered.slice(end + 1);
      end = buffered.indexOf('\n');
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForLine = async (msg: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const line = lines.find((l) => l.msg === msg);
      if (line) return line;
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no "${msg}" line; stdout: ${JSON.stringify(lines)} stderr: ${stderr}`);
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  const listening = await waitForLine('listening');
  return { child, url: String(listening.url), port, lines, waitForLine, exited };
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

async function waitUntilRefused(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await connectionRefused(port))) {
    if (Date.now() > deadline) throw new Error('new connections were still accepted during shutdown');
    await sleep(20);
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal}: in-flight request completes, new connections are refused, pool closed after, exit 0`, async () => {
    const instanceId = `slow-${randomBytes(4).toString('hex')}`;
    const service = await startService({ DATABASE_URL: db.url, INSTANCE_ID: instanceId });
    try {
      const inFlight = request(`${service.url}/slow?ms=1500`).then(async (res) => ({
        status: res.statusCode,
        body: await res.body.json(),
      }));
      await service.waitForLine('slow request started');
      service.child.kill(signal);

      await service.waitForLine('shutting down');
      await waitUntilRefused(service.port);

      assert.deepEqual(await inFlight, { status: 200, body: { done: true } });
      assert.equal(await service.exited, 0);

      const messages = service.lines.map((line) => line.msg);
      const completed = service.lines.findIndex((l) => l.msg === 'request completed' && l.route === '/slow');
      assert.ok(completed > messages.indexOf('shutting down'), 'the request finished during the drain');
      assert.deepEqual(service.lines.at(-1), { ...service.lines.at(-1), msg: 'stopped', exit_code: 0 });

      // The pool was open for the in-flight query and closed once it was done.
      const deadline = Date.now() + 5000;
      for (;;) {
        const { rows } = await db.pool.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where application_name = $1',
          [instanceId],
        );
        if (rows[0]?.n === 0) break;
        assert.ok(Date.now() < deadline, 'the service left connections open');
        await sleep(50);
      }
    } finally {
      service.child.kill('SIGKILL');
    }
  });
}

test('draining is bounded: a request outliving SHUTDOWN_TIMEOUT_MS is cut and the exit code says so', async () => {
  const service = await startService({ SHUTDOWN_TIMEOUT_MS: '300' });
  try {
    const inFlight = request(`${service.url}/slow?ms=20000`).then(
      () => 'answered',
      () => 'cut',
    );
    await service.waitForLine('slow request started');
    const started = Date.now();
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 1);
    assert.ok(Date.now() - started < 3000, `shutdown took ${Date.now() - started} ms`);
    assert.equal(await inFlight, 'cut');
    await service.waitForLine('drain timed out; closing remaining connections');
  } finally {
    service.child.kill('SIGKILL');
  }
});

test('a second signal during shutdown does not cut the drain short', async () => {
  const service = await startService({});
  try {
    const inFlight = request(`${service.url}/slow?ms=800`).then((res) => res.statusCode);
    await service.waitForLine('slow request started');
    service.child.kill('SIGINT');
    await service.waitForLine('shutting down');
    service.child.kill('SIGTERM');
    assert.equal(await inFlight, 200);
    assert.equal(await service.exited, 0);
    assert.ok(service.lines.some((line) => line.msg === 'shutdown already in progress'));
  } finally {
    service.child.kill('SIGKILL');
  }
});
