import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { LauncherError } from '../src/errors.ts';
import type { Secrets } from '../src/home/secrets.ts';
import { readState, writeState } from '../src/home/state-file.ts';
import { prepareCluster, startPostgres } from '../src/postgres/server.ts';
import { Platform, type PlatformOptions } from '../src/runtime/platform.ts';
import type { LauncherSettings } from '../src/settings.ts';
import { isAlive, pidsWithEnv, waitForExit } from '../src/system/proc.ts';
import { FIXTURE_CATALOG } from './fixtures/fixture-catalog.ts';
import { eventually, recordingProgress, tempHome, testSettings } from './helpers.ts';

// The whole start → run → stop cycle of the embedded runtime with a fixture
// service in place of the real ones: real PostgreSQL, real processes, real HTTP.

describe('Platform', () => {
  let dir: { home: string; remove(): Promise<void> };
  let settings: LauncherSettings;
  const env = () => ({ ...process.env, SHOPNOW_HOME: dir.home });

  const platform = (extra: Partial<PlatformOptions> = {}) => {
    const recorded = recordingProgress();
    const instance = new Platform({
      settings,
      catalog: FIXTURE_CATALOG,
      env: env(),
      graceMs: 3000,
      healthCheck: { intervalMs: 200 },
      progress: recorded.progress,
      ...extra,
    });
    return { platform: instance, output: recorded.text };
  };

  const seedRuns = async (): Promise<number> => {
    const secrets = JSON.parse(await readFile(settings.paths.secrets, 'utf8')) as Secrets;
    const client = new pg.Client({
      connectionString: `postgres://fixture:${secrets.services.fixture!.password}@127.0.0.1:${settings.pgPort}/fixture`,
    });
    await client.connect();
    try {
      return (await client.query<{ n: number }>('select count(*)::int as n from seed_runs')).rows[0]!.n;
    } finally {
      await client.end();
    }
  };

  const assertNothingLeft = async () => {
    const left = await eventually(
      async () => ((await pidsWithEnv('SHOPNOW_HOME', dir.home)).length === 0 ? [] : undefined),
      {
        timeoutMs: 5000,
        what: 'every process of this home to be gone',
      },
    ).catch(async () => pidsWithEnv('SHOPNOW_HOME', dir.home));
    assert.deepEqual(left, [], 'no process of this home may outlive stop()');
  };

  before(async () => {
    dir = await tempHome();
    settings = await testSettings(dir.home);
  });

  after(async () => {
    for (const pid of await pidsWithEnv('SHOPNOW_HOME', dir.home)) process.kill(pid, 'SIGKILL');
    await dir.remove();
  });

  it('starts postgres, provisions, migrates, seeds, runs replicas, restarts a killed one and stops cleanly', async () => {
    const { platform: p, output } = platform({ replicas: { fixture: 2 } });
    await p.start();
    try {
      const status = await p.status();
      const fixtures = status.processes.filter((row) => row.service === 'fixture');
      assert.deepEqual(
        fixtures.map((row) => [row.instance, row.status, row.port]),
        [
          ['fixture-1', 'ready', settings.basePort + 10],
          ['fixture-2', 'ready', settings.basePort + 11],
        ],
      );
      assert.ok(
        status.processes.every((row) => (row.rssBytes ?? 0) > 0),
        'every process has a measured RSS',
      );
      assert.ok(
        status.processes.find((row) => row.service === 'postgres')!.processes > 1,
        'postmaster + backends',
      );
      assert.equal(status.entryUrl, `http://127.0.0.1:${settings.basePort + 10}/items`);

      const registered = (await (await fetch(`${p.registryUrl}/registry/services/fixture`)).json()) as {
        instances: Array<{ id: string }>;
      };
      assert.deepEqual(registered.instances.map((i) => i.id).sort(), ['fixture-1', 'fixture-2']);
      const items = (await (await fetch(status.entryUrl!)).json()) as { items: unknown[] };
      assert.equal(items.items.length, 3);

      // The status endpoint is what `npm run status` reads.
      const viaHttp = (await (await fetch(`${p.registryUrl}/status`)).json()) as { processes: unknown[] };
      assert.equal(viaHttp.processes.length, 4);

      const first = p.instances[0]!;
      const oldPid = first.pid!;
      process.kill(oldPid, 'SIGKILL');
      const killedAt = Date.now();
      await eventually(
        async () => {
          if (first.pid === undefined || first.pid === oldPid || first.status !== 'ready') return undefined;
          return (await fetch(`${first.url}/items`)).ok || undefined;
        },
        { timeoutMs: 5000, what: 'the killed instance to answer again' },
      );
      assert.ok(Date.now() - killedAt < 5000);
      assert.equal(first.process.restarts, 1);
      assert.match(output(), /fixture-1\s+killed by SIGKILL/);
      const state = await readState(settings.paths.state);
      assert.ok(
        state?.children.some((c) => c.pid === first.pid),
        'launcher.json follows the restart',
      );
    } finally {
      await p.stop();
    }
    await assertNothingLeft();
    assert.equal(await readState(settings.paths.state), undefined, 'launcher.json removed');
    assert.equal((await stat(settings.paths.secrets)).mode & 0o777, 0o600);
    assert.equal((await stat(settings.paths.pgData)).mode & 0o777, 0o700);
    assert.match(output(), /fixture\s+stopped 2 instances[\s\S]*registry\s+closed[\s\S]*postgres\s+stopped/);
  });

  it('reuses the data on the next start without seeding again', async () => {
    const { platform: p, output } = platform();
    await p.start();
    try {
      assert.doesNotMatch(output(), /creating the database cluster/);
      assert.equal(await seedRuns(), 1);
      const items = (await (await fetch(p.entryUrl!)).json()) as { items: unknown[] };
      assert.equal(items.items.length, 3);
    } finally {
      await p.stop();
    }
    await assertNothingLeft();
  });

  it('cleans up after a launcher that died without stopping (leftover postgres and service)', async () => {
    // What a SIGKILLed launcher leaves: its PostgreSQL, a service process, launcher.json with a dead pid.
    const secrets = JSON.parse(await readFile(settings.paths.secrets, 'utf8')) as Secrets;
    const leftoverPg = await startPostgres(await prepareCluster(), {
      dataDir: settings.paths.pgData,
      port: settings.pgPort,
      superuser: secrets.postgres,
      logFile: join(settings.paths.logs, 'postgres.log'),
      env: env(),
    });
    const service = spawn(
      process.execPath,
      [fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url))],
      {
        env: env(),
        stdio: 'ignore',
        detached: true,
      },
    );
    const deadLauncher = await deadPid();
    await writeState(settings.paths.state, {
      pid: deadLauncher,
      port: settings.launcherPort,
      pgPort: settings.pgPort,
      startedAt: new Date().toISOString(),
      postgresPid: leftoverPg.pid,
      children: [{ name: 'fixture-1', pid: service.pid!, match: 'crash-child.ts' }],
    });

    const { platform: p, output } = platform();
    await p.start();
    try {
      assert.equal(isAlive(leftoverPg.pid), false, 'the leftover server was stopped');
      assert.equal(isAlive(service.pid!), false, 'the leftover service was stopped');
      assert.match(output(), /PostgreSQL pid \d+ is still running/);
      assert.match(output(), /fixture-1\s+stopped pid \d+, left running/);
      assert.equal(await seedRuns(), 1);
    } finally {
      await p.stop();
    }
    await assertNothingLeft();
  });

  it('removes a stale postmaster.pid whose process is gone', async () => {
    const lock = join(settings.paths.pgData, 'postmaster.pid');
    await writeFile(lock, `${await deadPid()}\n${settings.paths.pgData}\n0\n${settings.pgPort}\n`);
    const { platform: p, output } = platform();
    await p.start();
    try {
      assert.match(output(), /removed a stale postmaster\.pid/);
    } finally {
      await p.stop();
    }
  });

  it('explains a PostgreSQL that will not start, in one message with what to do', async () => {
    const version = join(settings.paths.pgData, 'PG_VERSION');
    const real = await readFile(version, 'utf8');
    await writeFile(version, '12\n');
    try {
      const { platform: p } = platform();
      await assert.rejects(p.start(), (err: unknown) => {
        assert.ok(err instanceof LauncherError);
        assert.match(
          err.message,
          /^PostgreSQL did not start \(pid \d+\): database files are incompatible with server$/,
        );
        assert.match(err.hint ?? '', /made by another PostgreSQL version/);
        return true;
      });
      await p.stop();
    } finally {
      await writeFile(version, real);
    }
    await assertNothingLeft();
  });

  it('refuses to start twice on one home', async () => {
    const imposter = spawn(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)', 'tools/launcher/src/cli.ts'],
      {
        stdio: 'ignore',
      },
    );
    try {
      await writeState(settings.paths.state, {
        pid: imposter.pid!,
        port: settings.launcherPort,
        pgPort: settings.pgPort,
        startedAt: new Date().toISOString(),
        children: [],
      });
      const { platform: p } = platform();
      await assert.rejects(p.start(), (err: unknown) => {
        assert.ok(err instanceof LauncherError);
        assert.match(err.message, new RegExp(`ShopNow is already running .*pid ${imposter.pid}`));
        return true;
      });
      await p.stop();
    } finally {
      imposter.kill('SIGKILL');
      await waitForExit(imposter.pid!, 2000);
    }
  });

  it('names a busy port and what to do, starting nothing', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(settings.pgPort, '127.0.0.1', resolve));
    try {
      const { platform: p } = platform();
      await assert.rejects(p.start(), (err: unknown) => {
        assert.ok(err instanceof LauncherError);
        assert.equal(err.message, `port already in use: ${settings.pgPort} (PostgreSQL)`);
        assert.match(err.hint ?? '', /SHOPNOW_PG_PORT=<port>/);
        return true;
      });
      await p.stop();
    } finally {
      squatter.close();
    }
    await assertNothingLeft();
  });

  it('fails with the service own error line when it dies before ready, and stops the rest', async () => {
    const { platform: p } = platform({ env: { ...env(), FIXTURE_FAIL_AT_START: 'WIDGET_URL is required' } });
    await assert.rejects(p.start(), (err: unknown) => {
      assert.ok(err instanceof LauncherError);
      assert.match(
        err.message,
        /fixture-1 exited before it was ready \(exit 1\): config: WIDGET_URL is required/,
      );
      assert.match(err.hint ?? '', /fixture-1\.log/);
      return true;
    });
    await p.stop();
    await assertNothingLeft();
  });
});

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}
