import pg from 'pg';

/**
 * One database and one login role per service, both named after it. The role
 * owns its database (and so its `public` schema) and nothing else; CONNECT is
 * revoked from PUBLIC, so a role cannot even open another service's database.
 * Idempotent: run on every start; the password is reset to the one given.
 */
export interface ServiceDatabase {
  service: string;
  database: string;
  role: string;
  /** Connection URL for the owning role. */
  url: string;
}

const ROLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * The shared database of the event bus, and the role that owns it. pg-boss (the
 * PostgreSQL transport of @shopnow/events) creates and migrates its own `pgboss`
 * schema there on first start, which takes the owner. Services reach it only
 * through this role's URL (BUS_DATABASE_URL), never with their own role.
 */
export const BUS_DATABASE = 'bus';

export async function provisionServiceDatabase(
  adminUrl: string,
  service: { name: string; password: string },
): Promise<ServiceDatabase> {
  if (service.name === BUS_DATABASE) {
    throw new Error(`"${service.name}" cannot name a database role: it is the event bus's database`);
  }
  return provisionOwnedDatabase(adminUrl, service.name, service.password);
}

/**
 * The bus database and its role (same rules as a service's: the role owns the
 * database and nothing else, CONNECT revoked from PUBLIC). Idempotent: creates
 * what is missing, so a data dir made before the bus existed is upgraded in place.
 * `name` is for tests on a shared server.
 */
export function provisionBusDatabase(
  adminUrl: string,
  password: string,
  name: string = BUS_DATABASE,
): Promise<ServiceDatabase> {
  return provisionOwnedDatabase(adminUrl, name, password);
}

async function provisionOwnedDatabase(
  adminUrl: string,
  name: string,
  password: string,
): Promise<ServiceDatabase> {
  if (!ROLE_NAME.test(name) || name.startsWith('pg_') || name === 'postgres') {
    throw new Error(`"${name}" cannot name a database role: use [a-z][a-z0-9_]*, not pg_* or postgres`);
  }
  await withClient(adminUrl, async (client) => {
    const ident = client.escapeIdentifier(name);
    const literal = client.escapeLiteral(password);
    const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
    const role = await client.query('select 1 from pg_roles where rolname = $1', [name]);
    if (role.rowCount === 0) {
      await ignoreCode('42710', client.query(`CREATE ROLE ${ident} ${attributes} PASSWORD ${literal}`));
    }
    await client.query(`ALTER ROLE ${ident} ${attributes} PASSWORD ${literal}`);

    const db = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (db.rowCount === 0) {
      await ignoreCode('42P04', client.query(`CREATE DATABASE ${ident} OWNER ${ident}`));
    }
    await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
    await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
  });
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(name);
  url.password = encodeURIComponent(password);
  url.pathname = `/${name}`;
  return { service: name, database: name, role: name, url: url.toString() };
}

/**
 * Cluster-wide hardening for a server the launcher owns: service roles may not
 * connect to the maintenance databases either. (Not for a shared test server.)
 */
export async function hardenCluster(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query('REVOKE CONNECT ON DATABASE postgres FROM PUBLIC');
    await client.query('REVOKE CONNECT ON DATABASE template1 FROM PUBLIC');
  });
}

/** Removes a service's database and role (tests, and resetting one service's data). */
export async function dropServiceDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const ident = client.escapeIdentifier(name);
    await client.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${ident}`);
  });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'shopnow-launcher' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Another starter raced us to create it: fine. */
async function ignoreCode(code: string, query: Promise<unknown>): Promise<void> {
  try {
    await query;
  } catch (err) {
    if ((err as { code?: string }).code !== code) throw err;
  }
}
