import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type App, migrate } from '@shopnow/chassis';
import type { Role, Tier } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import {
  bearer,
  outboxEvents as envelopes,
  type TestDatabase,
  type TestTokenIssuer,
  withTestbed,
} from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import { insertRegisteredUser, updateUser } from '../src/store/users.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface RegisteredRoute {
  method: string;
  url: string;
}

export interface UserFixture {
  app: App;
  db: TestDatabase;
  pool: pg.Pool;
  bus: TestDatabase;
  issuer: TestTokenIssuer;
  /** Every route the app registered (HEAD excluded), in registration order. */
  routes: RegisteredRoute[];
  newTransport(): Transport;
  close(): Promise<void>;
}

/** Migrations as the admin command applies them: chassis, events, then user's own. */
export async function migrateUser(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'user', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export async function startUser(): Promise<UserFixture> {
  return withTestbed({ migrate: migrateUser }, async (bed) => {
    const newTransport = () => createPostgresTransport({ connectionString: bed.bus.url });
    const routes: RegisteredRoute[] = [];
    const app = await buildApp({
      transport: newTransport(),
      config: {
        ...bed.issuer.tokenConfig,
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 1_048_576,
        EVENTS_MAX_ATTEMPTS: 2,
      },
      db: bed.db.pool,
      identity: bed.issuer.identity('user'),
      onRoute: (route) => {
        for (const method of [route.method].flat()) {
          if (method !== 'HEAD') routes.push({ method, url: route.url });
        }
      },
    });
    bed.onClose(() => app.close());
    await app.ready();
    return {
      app,
      db: bed.db,
      pool: bed.db.pool,
      bus: bed.bus,
      issuer: bed.issuer,
      routes,
      newTransport,
      close: bed.close,
    };
  });
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: { authorization: string };
}

let counter = 0;

/**
 * A user record (as the registration event makes it, then roles/tier set directly) and an access
 * token carrying the same roles.
 */
export async function createUser(
  f: UserFixture,
  options: { roles?: Role[]; tier?: Tier; email?: string; displayName?: string } = {},
): Promise<TestUser> {
  const id = randomUUID();
  counter += 1;
  const email = options.email ?? `user${counter}-${id.slice(0, 8)}@example.com`;
  await insertRegisteredUser(f.pool, {
    userId: id,
    email,
    displayName: options.displayName ?? `User ${counter}`,
  });
  if (options.roles || options.tier)
    await updateUser(f.pool, id, { roles: options.roles, tier: options.tier });
  const token = await f.issuer.user(id, {
    roles: options.roles ?? ['customer'],
    tier: options.tier ?? 'free',
  });
  return { id, email, token, headers: bearer(token) };
}

/** Every service answers errors alike, so the assertion lives once in the testkit. */
export { assertProblem } from '@shopnow/testkit';

/** The users table as text, to prove a refused request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(u::text, '|' ORDER BY id), '')) FROM users u) AS users,
            (SELECT count(*) FROM outbox) AS outbox`,
  );
  return JSON.stringify(rows[0]);
}

/** The event types in the outbox about `subject`, oldest first, with their data. */
export async function outboxEvents(
  pool: pg.Pool,
  subject: string,
): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return (await envelopes(pool, { subject })).map(({ type, data }) => ({ type, data }));
}
