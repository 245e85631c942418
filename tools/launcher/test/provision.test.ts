import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { testServerUrl, withDatabase } from '@shopnow/testkit';
import pg from 'pg';
import {
  dropServiceDatabase,
  provisionBusDatabase,
  provisionServiceDatabase,
  type ServiceDatabase,
} from '../src/postgres/provision.ts';

// Two service databases on one real server: each role reaches its own and no other.

const connect = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
};

const refused = async (url: string): Promise<{ code?: string; message: string }> => {
  try {
    const client = await connect(url);
    await client.end();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  assert.fail(`connecting to ${new URL(url).pathname} should have been refused`);
};

describe('provisionServiceDatabase', () => {
  const suffix = randomBytes(4).toString('hex');
  const orders = { name: `t_orders_${suffix}`, password: randomBytes(12).toString('hex') };
  const billing = { name: `t_billing_${suffix}`, password: randomBytes(12).toString('hex') };
  let adminUrl: string;
  let ordersDb: ServiceDatabase;
  let billingDb: ServiceDatabase;

  before(async () => {
    adminUrl = await testServerUrl();
    [ordersDb, billingDb] = await Promise.all([
      provisionServiceDatabase(adminUrl, orders),
      provisionServiceDatabase(adminUrl, billing),
    ]);
  });

  after(async () => {
    await dropServiceDatabase(adminUrl, orders.name);
    await dropServiceDatabase(adminUrl, billing.name);
  });

  it('gives each service a database it owns and can build its schema in', async () => {
    assert.equal(ordersDb.database, orders.name);
    assert.equal(ordersDb.role, orders.name);
    const client = await connect(ordersDb.url);
    try {
      const { rows } = await client.query<{ db: string; role: string; owner: string }>(
        `select current_database() as db, current_user as role,
                pg_get_userbyid(datdba) as owner from pg_database where datname = current_database()`,
      );
      assert.deepEqual(rows[0], { db: orders.name, role: orders.name, owner: orders.name });
      await client.query('create table widgets (id int primary key)');
      await client.query('insert into widgets values (1)');
      // pg_trgm is a trusted extension: the owning role may create it (product search needs it).
      await client.query('create extension if not exists pg_trgm');
    } finally {
      await client.end();
    }
  });

  it("refuses a role on another service's database", async () => {
    const crossA = await refused(withDatabase(ordersDb.url, billing.name));
    assert.equal(crossA.code, '42501', crossA.message);
    assert.match(crossA.message, /permission denied for database/);
    const crossB = await refused(withDatabase(billingDb.url, orders.name));
    assert.equal(crossB.code, '42501', crossB.message);
  });

  it('makes roles with no power beyond their database', async () => {
    const client = await connect(adminUrl);
    try {
      const { rows } = await client.query(
        `select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin
           from pg_roles where rolname = $1`,
        [orders.name],
      );
      assert.deepEqual(rows[0], {
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        rolcanlogin: true,
      });
      const acl = await client.query<{ acl: string }>(
        'select datacl::text as acl from pg_database where datname = $1',
        [orders.name],
      );
      // No "=...c..." entry: PUBLIC has no CONNECT.
      assert.doesNotMatch(acl.rows[0]!.acl, /(^|[{,])=[A-Za-z]*c/);
    } finally {
      await client.end();
    }
  });

  it('is idempotent, keeps the data, and resets the password to the one given', async () => {
    const rotated = { ...orders, password: randomBytes(12).toString('hex') };
    const again = await provisionServiceDatabase(adminUrl, rotated);
    const client = await connect(again.url);
    try {
      const { rows } = await client.query('select id from widgets');
      assert.deepEqual(rows, [{ id: 1 }]);
    } finally {
      await client.end();
    }
    const old = await refused(ordersDb.url);
    assert.equal(old.code, '28P01', old.message);
  });

  it('refuses names that cannot be a service role', async () => {
    for (const name of ['postgres', 'pg_monitor', 'Bad-Name', '', 'bus']) {
      await assert.rejects(
        provisionServiceDatabase(adminUrl, { name, password: 'x' }),
        /cannot name a database role/,
      );
    }
  });
});

// The event bus database: owned by its own role, closed to every service role.
// (A random name stands in for "bus": the test server is shared.)
describe('provisionBusDatabase', () => {
  const suffix = randomBytes(4).toString('hex');
  const busName = `t_bus_${suffix}`;
  const busPassword = randomBytes(12).toString('hex');
  const orders = { name: `t_orders_bus_${suffix}`, password: randomBytes(12).toString('hex') };
  let adminUrl: string;
  let bus: ServiceDatabase;
  let ordersDb: ServiceDatabase;

  before(async () => {
    adminUrl = await testServerUrl();
    [bus, ordersDb] = await Promise.all([
      provisionBusDatabase(adminUrl, busPassword, busName),
      provisionServiceDatabase(adminUrl, orders),
    ]);
  });

  after(async () => {
    await dropServiceDatabase(adminUrl, busName);
    await dropServiceDatabase(adminUrl, orders.name);
  });

  it('creates the bus database, owned by its role, with CONNECT revoked from PUBLIC', async () => {
    const client = await connect(adminUrl);
    try {
      const { rows } = await client.query<{ owner: string; acl: string }>(
        'select pg_get_userbyid(datdba) as owner, datacl::text as acl from pg_database where datname = $1',
        [busName],
      );
      assert.equal(rows[0]?.owner, busName);
      assert.doesNotMatch(rows[0]!.acl, /(^|[{,])=[A-Za-z]*c/);
    } finally {
      await client.end();
    }
    const url = new URL(bus.url);
    assert.equal(url.username, busName);
    assert.equal(url.password, busPassword);
    assert.equal(url.pathname, `/${busName}`);
  });

  it('lets the bus role connect and create the schema pg-boss keeps its queues in', async () => {
    const client = await connect(bus.url);
    try {
      assert.deepEqual((await client.query('select 1 as one')).rows, [{ one: 1 }]);
      await client.query('create schema pgboss');
      await client.query('create table pgboss.job (id uuid primary key default gen_random_uuid())');
      await client.query('insert into pgboss.job default values');
    } finally {
      await client.end();
    }
  });

  it("refuses a service role on the bus database, and the bus role on a service's", async () => {
    const serviceOnBus = await refused(withDatabase(ordersDb.url, busName));
    assert.equal(serviceOnBus.code, '42501', serviceOnBus.message);
    const busOnService = await refused(withDatabase(bus.url, orders.name));
    assert.equal(busOnService.code, '42501', busOnService.message);
  });

  it('creates what is missing on a server from before the bus, and keeps what is there', async () => {
    const again = await provisionBusDatabase(adminUrl, busPassword, busName);
    const client = await connect(again.url);
    try {
      assert.deepEqual((await client.query('select count(*)::int as n from pgboss.job')).rows, [{ n: 1 }]);
    } finally {
      await client.end();
    }
    await dropServiceDatabase(adminUrl, busName);
    const recreated = await provisionBusDatabase(adminUrl, busPassword, busName);
    const fresh = await connect(recreated.url);
    try {
      assert.deepEqual((await fresh.query('select current_database() as db')).rows, [{ db: busName }]);
    } finally {
      await fresh.end();
    }
  });
});
