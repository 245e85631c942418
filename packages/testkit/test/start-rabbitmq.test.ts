import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Connection } from 'rabbitmq-client';
import { RabbitMqNotInstalledError, rabbitMqInstalled, startRabbitMq } from '../src/index.ts';
import { exitCodeOf, firstLine, waitFor } from './helpers.ts';

const skip =
  !rabbitMqInstalled() && !process.env.CI
    ? 'rabbitmq-server is not installed (apt-get install rabbitmq-server); with CI set these tests run and fail instead'
    : false;

/** Pids of live processes whose command line or environment names `dir` (the VM, its helpers, epmd). */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      const text =
        readFileSync(`/proc/${entry}/cmdline`, 'utf8') + readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (text.includes(dir)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

async function withConnection<T>(url: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = new Connection({ url, retryLow: 100, retryHigh: 500 });
  connection.on('error', () => {});
  try {
    await connection.onConnect(10_000);
    return await work(connection);
  } finally {
    await connection.close();
  }
}

/** A durable quorum queue holding one persistent message (what restart() must keep). */
async function keepOneMessage(url: string, queue: string): Promise<void> {
  await withConnection(url, async (connection) => {
    await connection.queueDeclare({ queue, durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const publisher = connection.createPublisher({ confirm: true });
    await publisher.send({ routingKey: queue, durable: true }, 'kept');
    await publisher.close();
  });
}

async function messagesIn(url: string, queue: string): Promise<number> {
  return withConnection(
    url,
    async (connection) => (await connection.queueDeclare({ queue, passive: true })).messageCount,
  );
}

describe('startRabbitMq', { skip }, () => {
  it('starts a private node a real client can use; stop() leaves no process, epmd or temp dir', async () => {
    const started = Date.now();
    const broker = await startRabbitMq();
    const startMs = Date.now() - started;
    try {
      assert.match(broker.url, /^amqp:\/\/guest:guest@127\.0\.0\.1:\d+$/);
      assert.match(broker.nodeName, /^shopnow-[0-9a-f]+@localhost$/);
      assert.ok(broker.pid > 0);
      assert.ok(processesUsing(broker.dir).includes(broker.pid), 'the VM runs in the node dir');
      await keepOneMessage(broker.url, 'testkit.probe');
      assert.equal(await messagesIn(broker.url, 'testkit.probe'), 1);
    } finally {
      await broker.stop();
    }
    assert.deepEqual(processesUsing(broker.dir), [], 'processes left behind after stop()');
    assert.equal(existsSync(broker.dir), false, 'temp dir left behind');
    assert.equal(broker.pid, 0);
    await broker.stop(); // idempotent
    await assert.rejects(broker.restart(), /after stop/);
    assert.ok(startMs < 60_000, `started in ${startMs} ms`);
  });

  it('restart() keeps the port and the data: a durable queue and its message survive', async () => {
    const broker = await startRabbitMq();
    try {
      await keepOneMessage(broker.url, 'testkit.restart');
      const { url, port, nodeName, pid } = broker;
      await broker.restart();
      assert.equal(broker.url, url);
      assert.equal(broker.port, port);
      assert.equal(broker.nodeName, nodeName);
      assert.notEqual(broker.pid, pid, 'a new VM');
      assert.equal(await messagesIn(broker.url, 'testkit.restart'), 1);
      assert.equal(existsSync(broker.dir), true);
    } finally {
      await broker.stop();
    }
    assert.deepEqual(processesUsing(broker.dir), []);
    assert.equal(existsSync(broker.dir), false);
  });

  it('a caller-chosen dataDir is kept after stop() and reused by the next start', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'testkit-rabbitmq-'));
    const dataDir = join(parent, 'node');
    try {
      const first = await startRabbitMq({ dataDir });
      try {
        await keepOneMessage(first.url, 'testkit.kept');
      } finally {
        await first.stop();
      }
      assert.equal(existsSync(join(dataDir, 'mnesia')), true, 'data dir deleted');
      const second = await startRabbitMq({ dataDir });
      try {
        assert.equal(second.nodeName, first.nodeName, 'the data belongs to the same node name');
        assert.equal(await messagesIn(second.url, 'testkit.kept'), 1);
      } finally {
        await second.stop();
      }
      assert.deepEqual(processesUsing(dataDir), []);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('SIGKILL of the owning process leaves no orphan node, epmd or temp dir', async () => {
    const script = `
      import { startRabbitMq } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).pathname)};
      const broker = await startRabbitMq();
      process.stdout.write(JSON.stringify({ dir: broker.dir, pid: broker.pid }) + '\\n');
      setInterval(() => {}, 60_000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { dir, pid } = JSON.parse(await firstLine(child)) as { dir: string; pid: number };
    assert.ok(processesUsing(dir).includes(pid));

    child.kill('SIGKILL');
    await exitCodeOf(child);
    assert.equal(
      await waitFor(() => processesUsing(dir).length === 0, 30_000),
      true,
      `orphans: ${processesUsing(dir)}`,
    );
    assert.equal(await waitFor(() => !existsSync(dir), 5_000), true, `temp dir ${dir} left behind`);
  });
});

it('a missing rabbitmq-server is reported with the install command', () => {
  assert.match(new RabbitMqNotInstalledError().message, /apt-get install rabbitmq-server/);
});
