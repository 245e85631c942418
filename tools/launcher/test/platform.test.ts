import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withDatabase } from '@shopnow/testkit';
import pg from 'pg';
import type { ServiceDefinition } from '../src/catalog.ts';
import { LauncherError } from '../src/errors.ts';
import type { Secrets } from '../src/home/secrets.ts';
import { readState, writeState } from '../src/home/state-file.ts';
import { dropServiceDatabase } from '../src/postgres/provision.ts';
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

  const readSecrets = async () => JSON.parse(await readFile(settings.paths.secrets, 'utf8')) as Secrets;

  /** A query as the fixture service's own role, on its own database. */
  const queryFixture = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const secrets = await readSecrets();
    const client = new pg.Client({
      connectionString: `postgres://fixture:${secrets.services.fixture!.password}@127.0.0.1:${settings.pgPort}/fixture`,
    });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };

  const seedRuns = async (): Promise<number> =>
    (await queryFixture<{ n: number }>('select count(*)::int as n from seed_runs'))[0]!.n;

  /** What the last migrate and seed of the fixture were given for the event transport. */
  const lastAdminRuns = () =>
    queryFixture<{ command: string; transport: string | null; amqp_url: string | null; bus: string | null }>(
      'select command, transport, amqp_url, bus from admin_runs order by id desc limit 2',
    ).then((rows) => rows.reverse());

  /** The event transport as the running fixture process sees it (GET /events). */
  const fixtureEvents = async (url: string) =>
    (await (await fetch(`${url}/events`)).json()) as {
      transport?: string;
      amqpUrl?: string;
      bus?: { one: number; database: string; role: string };
    };

  const selectOne = async (url: string): Promise<number> => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<{ one: number }>('select 1 as one')).rows[0]!.one;
    } finally {
      await client.end();
    }
  };

  const refusedCode = async (url: string): Promise<string | undefined> =>
    selectOne(url).then(
      () => assert.fail(`connecting to ${new URL(url).pathname} should have been refused`),
      (err: { code?: string }) => err.code,
    );

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

      // The event bus: every process (and the admin commands) got the bus role's URL, and it works.
      const secrets = await readSecrets();
      const busUrl = `postgres://bus:${secrets.bus.password}@127.0.0.1:${settings.pgPort}/bus`;
      for (const instance of p.instances) {
        assert.equal(instance.process.spec.env.EVENTS_TRANSPORT, 'postgres');
        assert.equal(instance.process.spec.env.BUS_DATABASE_URL, busUrl);
      }
      assert.equal(await selectOne(busUrl), 1);
      assert.deepEqual(await fixtureEvents(p.instances[1]!.url), {
        transport: 'postgres',
        bus: { one: 1, database: 'bus', role: 'bus' },
      });
      assert.deepEqual(await lastAdminRuns(), [
        { command: 'migrate', transport: 'postgres', amqp_url: null, bus: 'bus' },
        { command: 'seed', transport: 'postgres', amqp_url: null, bus: 'bus' },
      ]);
      const fixtureOnBus = `postgres://fixture:${secrets.services.fixture!.password}@127.0.0.1:${settings.pgPort}/bus`;
      assert.equal(await refusedCode(fixtureOnBus), '42501', "a service's own role cannot open the bus");
      assert.equal(
        await refusedCode(withDatabase(busUrl, 'fixture')),
        '42501',
        'nor the bus role a service db',
      );
      assert.match(output(), /events\s+database "bus" with its own role/);

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

  it('upgrades a home from before the event bus in place: role, database and password', async () => {
    // What an older launcher left: no "bus" in secrets.json, no bus role or database.
    const { bus: _dropped, ...older } = await readSecrets();
    const oldPg = await startPostgres(await prepareCluster(), {
      dataDir: settings.paths.pgData,
      port: settings.pgPort,
      superuser: older.postgres,
      logFile: join(settings.paths.logs, 'postgres.log'),
      settings: ['work_mem=7MB'], // SHOPNOW_PG_SETTINGS reaches the server as -c flags
      env: env(),
    });
    try {
      const client = new pg.Client({ connectionString: oldPg.url() });
      await client.connect();
      try {
        assert.equal((await client.query('SHOW work_mem')).rows[0].work_mem, '7MB');
      } finally {
        await client.end();
      }
      await dropServiceDatabase(oldPg.url(), 'bus');
    } finally {
      await oldPg.stop();
    }
    await writeFile(settings.paths.secrets, JSON.stringify(older));

    const { platform: p, output } = platform();
    await p.start();
    try {
      const secrets = await readSecrets();
      assert.match(secrets.bus.password, /^[0-9a-f]{48}$/, 'a bus password was added');
      assert.equal(secrets.postgres.password, older.postgres.password, 'the rest of secrets.json is kept');
      assert.match(output(), /events\s+database "bus" with its own role/);
      assert.equal(await selectOne(p.instances[0]!.process.spec.env.BUS_DATABASE_URL!), 1);
      assert.deepEqual((await fixtureEvents(p.instances[0]!.url)).bus, {
        one: 1,
        database: 'bus',
        role: 'bus',
      });
      assert.equal(await seedRuns(), 1, 'the service data is kept');
    } finally {
      await p.stop();
    }
    assert.equal((await stat(settings.paths.secrets)).mode & 0o777, 0o600);
    await assertNothingLeft();
  });

  it('passes EVENTS_TRANSPORT=rabbitmq and AMQP_URL through instead of the bus database', async () => {
    const amqpUrl = 'amqp://shop:s3cret-pass@127.0.0.1:5672/shopnow';
    const { platform: p, output } = platform({
      env: {
        ...env(),
        EVENTS_TRANSPORT: 'rabbitmq',
        AMQP_URL: amqpUrl,
        BUS_DATABASE_URL: 'postgres://stray',
      },
    });
    await p.start();
    try {
      const given = p.instances[0]!.process.spec.env;
      assert.equal(given.EVENTS_TRANSPORT, 'rabbitmq');
      assert.equal(given.AMQP_URL, amqpUrl);
      assert.equal(given.BUS_DATABASE_URL, undefined);
      assert.deepEqual(await fixtureEvents(p.instances[0]!.url), { transport: 'rabbitmq', amqpUrl });
      assert.deepEqual(await lastAdminRuns(), [
        { command: 'migrate', transport: 'rabbitmq', amqp_url: amqpUrl, bus: null },
        { command: 'seed', transport: 'rabbitmq', amqp_url: amqpUrl, bus: null },
      ]);
      assert.match(
        output(),
        /events\s+EVENTS_TRANSPORT=rabbitmq at amqp:\/\/shop@127\.0\.0\.1:5672\/shopnow/,
      );
      assert.doesNotMatch(output(), /s3cret-pass/);
    } finally {
      await p.stop();
    }
    await assertNothingLeft();
  });

  it('refuses EVENTS_TRANSPORT=rabbitmq without AMQP_URL, starting nothing', async () => {
    const launcherEnv: NodeJS.ProcessEnv = { ...env(), EVENTS_TRANSPORT: 'rabbitmq' };
    delete launcherEnv.AMQP_URL;
    const { platform: p } = platform({ env: launcherEnv });
    await assert.rejects(p.start(), (err: unknown) => {
      assert.ok(err instanceof LauncherError);
      assert.equal(err.message, 'config: EVENTS_TRANSPORT=rabbitmq needs AMQP_URL (an amqp:// URL)');
      return true;
    });
    await p.stop();
    assert.equal(await readState(settings.paths.state), undefined, 'nothing was started');
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

  it("starts no service's instances before every service's setup is done", async () => {
    const slow: ServiceDefinition = {
      ...FIXTURE_CATALOG[0]!,
      name: 'slow',
      slot: 2,
      entryPath: undefined,
      env: { FIXTURE_MIGRATE_DELAY_MS: '1500' },
    };
    const { platform: p, output } = platform({ catalog: [...FIXTURE_CATALOG, slow] });
    await p.start();
    try {
      const slowMigrated = output().search(/slow\s+admin migrate/);
      const fixtureStarting = output().search(/fixture-1\s+starting on/);
      assert.ok(slowMigrated >= 0 && fixtureStarting >= 0, output());
      assert.ok(
        slowMigrated < fixtureStarting,
        `fixture started before slow's migrate was done:\n${output()}`,
      );
    } finally {
      await p.stop();
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
