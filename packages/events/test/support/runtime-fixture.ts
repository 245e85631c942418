// What the runtime suite needs from a transport under test: fresh transports on one broker,
// and a way to take the broker down and bring it back.
import { migrate } from '@shopnow/chassis';
import { defineEvent, EventCatalog } from '@shopnow/contracts';
import { type TestDatabase, testDatabase, eventually as waitUntil } from '@shopnow/testkit';
import { pino } from 'pino';
import { Type } from 'typebox';
import { EVENTS_MIGRATIONS } from '../../src/migrations.ts';
import type { Transport } from '../../src/transport.ts';

export interface RuntimeFixture {
  /** A new transport instance (as another process would have) on the broker under test. */
  transport(): Transport;
  /** Takes the broker down; the returned function brings it back (same data). */
  outage(): Promise<() => Promise<void>>;
  teardown(): Promise<void>;
}

export const quietLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export const ThingHappenedV1 = defineEvent(
  'test.thing_happened.v1',
  Type.Object(
    { n: Type.Integer({ minimum: 0 }), note: Type.Optional(Type.String()) },
    { additionalProperties: false },
  ),
);
export const testCatalog = () => new EventCatalog([ThingHappenedV1]);

/** A service database with the chassis and events tables, and a table handlers write to. */
export async function serviceDatabase(): Promise<TestDatabase> {
  const db = await testDatabase();
  await migrate(db.pool, { service: 'svc', dir: EMPTY_DIR, packages: [EVENTS_MIGRATIONS] });
  await db.pool.query(
    'create table applied (consumer_group text, n integer, event_id text, primary key (consumer_group, event_id))',
  );
  return db;
}

// The suite's stand-in service has no tables of its own beyond `applied`.
const EMPTY_DIR = new URL('./no-such-migrations/', import.meta.url).pathname;

/** Polls as the testkit does, with 20 s: an outage and its recovery take a while on a loaded machine. */
export const eventually = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> =>
  waitUntil(what, check, timeoutMs);
