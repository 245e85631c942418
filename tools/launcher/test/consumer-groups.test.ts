// Every consumer group of every service exists on the bus before any service starts: the launcher's
// one-process declaration over all the services' consumes.ts, and (the Kubernetes path) a service's
// own `admin.ts migrate`. Real PostgreSQL for the bus and the service's database.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  consumerGroups,
  queueNameForGroup,
  type SubscriptionsSource,
  subscriptionsFrom,
} from '@shopnow/events';
import { runScript, type TestDatabase, testDatabase } from '@shopnow/testkit';
import { REPO_ROOT } from '../src/settings.ts';

const SCRIPT = join(REPO_ROOT, 'tools/launcher/src/runtime/declare-consumer-groups.ts');

/** Every `<group> <type>` pair of the services' consumes.ts, as the services subscribe at start. */
async function expectedPairs(services: readonly string[]): Promise<string[]> {
  const pairs: string[] = [];
  for (const service of services) {
    const module = (await import(
      pathToFileURL(join(REPO_ROOT, 'services', service, 'src', 'consumes.ts')).href
    )) as Record<string, unknown>;
    const [source] = Object.entries(module).filter(([name]) => name.endsWith('Subscriptions'));
    const subscriptions = subscriptionsFrom(source![1] as SubscriptionsSource);
    for (const [group, types] of consumerGroups(subscriptions)) {
      for (const type of types) pairs.push(`${queueNameForGroup(group)} ${type}`);
    }
  }
  return pairs.sort();
}

async function declaredPairs(bus: TestDatabase): Promise<string[]> {
  const { rows } = await bus.pool.query<{ name: string; event: string }>(
    'select name, event from pgboss.subscription',
  );
  return rows.map((row) => `${row.name} ${row.event}`).sort();
}

describe('consumer groups declared before the services start', () => {
  const databases: TestDatabase[] = [];
  let services: string[];
  before(async () => {
    services = (await readdir(join(REPO_ROOT, 'services'))).filter((name) =>
      existsSync(join(REPO_ROOT, 'services', name, 'src', 'consumes.ts')),
    );
  });
  after(() => Promise.all(databases.map((db) => db.drop())));

  const fresh = async () => {
    const db = await testDatabase();
    databases.push(db);
    return db;
  };

  it("the launcher's step declares every group of every service, and again harmlessly", async () => {
    const bus = await fresh();
    const files = services.map((name) => join(REPO_ROOT, 'services', name, 'src', 'consumes.ts'));
    for (let run = 0; run < 2; run++) {
      const result = await runScript(SCRIPT, files, {
        EVENTS_TRANSPORT: 'postgres',
        BUS_DATABASE_URL: bus.url,
      }).exit;
      assert.equal(result.code, 0, result.stdout + result.stderr);
    }
    const expected = await expectedPairs(services);
    assert.ok(expected.length >= services.length, 'every service consumes something');
    assert.deepEqual(await declaredPairs(bus), expected);
  });

  it("a service's admin.ts migrate declares its own groups after its schema", async () => {
    const [bus, orderDb] = [await fresh(), await fresh()];
    const result = await runScript(join(REPO_ROOT, 'services/order/src/admin.ts'), ['migrate'], {
      DATABASE_URL: orderDb.url,
      EVENTS_TRANSPORT: 'postgres',
      BUS_DATABASE_URL: bus.url,
    }).exit;
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await declaredPairs(bus), await expectedPairs(['order']));
  });
});
