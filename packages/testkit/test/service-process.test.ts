// A service main as a real process (a stand-in fixture): started once ready, stopped by SIGTERM,
// and a start that cannot succeed fails with the process's output and leaves no process behind;
// the config-error check; and the service's two databases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, freePort, serviceDatabases, serviceScripts, startServiceProcess } from '../src/index.ts';

const READY_SERVICE = fileURLToPath(new URL('./fixtures/service/main.ts', import.meta.url));

test('a service process is started once ready and drains on stop()', async () => {
  const started = Date.now();
  const service = await startServiceProcess(READY_SERVICE, { READY_AFTER_MS: '400' });
  try {
    assert.ok(Date.now() - started >= 400, 'waited for readiness, not just the port');
    assert.equal((await fetch(`${service.url}/health/ready`)).status, 200);
    const exit = await service.stop();
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /drained/);
  } finally {
    service.kill();
  }
});

test('a service process that exits or is never ready fails the start with its output, and is gone', async () => {
  await assert.rejects(
    startServiceProcess(READY_SERVICE, { EXIT_EARLY: '1' }),
    /exited \(3\)[\s\S]*EXIT_EARLY/,
  );
  const port = await freePort();
  await assert.rejects(
    startServiceProcess(READY_SERVICE, { READY_AFTER_MS: 'never' }, { port, readyTimeoutMs: 600 }),
    /was not ready in time/,
  );
  await eventually('the process no longer listens', () =>
    fetch(`http://127.0.0.1:${port}/health/ready`).then(
      () => false,
      () => true,
    ),
  );
});

test('refusesToStart passes an exit 1 with one line naming each setting, and nothing else', async () => {
  const service = serviceScripts(new URL('./fixtures/service/', import.meta.url));
  const done = await service.refusesToStart({ BAD_SETTINGS: 'PORT,SMTP_URL' }, /PORT/, /SMTP_URL/);
  assert.equal(done.code, 1);
  await assert.rejects(service.refusesToStart({ BAD_SETTINGS: 'PORT' }, /SMTP_URL/), /SMTP_URL/);
  await assert.rejects(service.refusesToStart({ BAD_SETTINGS: 'PORT', TWO_LINES: '1' }, /PORT/), /and more/);
  await assert.rejects(service.refusesToStart({ EXIT_EARLY: '1' }), /EXIT_EARLY/);
  const started = await service.start({});
  try {
    assert.equal((await started.stop()).code, 0);
  } finally {
    started.kill();
  }
});

test("a service's databases: the env names both; renewDb gives an empty one; drop removes them", async () => {
  const dbs = await serviceDatabases();
  try {
    assert.deepEqual(dbs.env, { DATABASE_URL: dbs.db.url, BUS_DATABASE_URL: dbs.bus.url });
    await dbs.db.pool.query('CREATE TABLE left_over (id int)');
    const before = dbs.db.name;
    await dbs.renewDb();
    assert.notEqual(dbs.db.name, before);
    assert.equal(dbs.env.DATABASE_URL, dbs.db.url);
    const { rows } = await dbs.db.pool.query("SELECT to_regclass('left_over') AS t");
    assert.deepEqual(rows, [{ t: null }]);
  } finally {
    await dbs.drop();
  }
  await assert.rejects(dbs.db.pool.query('SELECT 1'));
});
