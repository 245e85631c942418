// The chaos test's databases and what it checks in them and on the bus.
import { migrate } from '@shopnow/chassis';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import pg from 'pg';
import { EVENTS_MIGRATIONS } from '../../src/migrations.ts';
import { CHAOS_MIGRATIONS_DIR } from './contract.ts';

/** A service database with the chassis and events tables and the `applied` table. */
export async function chaosDatabase(): Promise<TestDatabase> {
  const db = await testDatabase();
  await migrate(db.pool, { service: 'chaos', dir: CHAOS_MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
  return db;
}

export interface Progress {
  rows: number;
  distinct: number;
}

export async function appliedProgress(db: TestDatabase, group: string): Promise<Progress> {
  const { rows } = await db.pool.query<Progress>(
    'select count(*)::int as rows, count(distinct event_id)::int as distinct from applied where consumer_group = $1',
    [group],
  );
  return rows[0] ?? { rows: 0, distinct: 0 };
}

export interface AppliedReport extends Progress {
  /** Published, never applied. */
  missing: string[];
  /** Applied, never published. */
  unexpected: string[];
  /** Applied more than once: `id ×count (instances)`. */
  duplicates: string[];
}

/** What the group applied against what was published. */
export async function compareApplied(
  db: TestDatabase,
  group: string,
  published: ReadonlySet<string>,
): Promise<AppliedReport> {
  const { rows } = await db.pool.query<{ event_id: string; times: number; instances: string }>(
    `select event_id, count(*)::int as times, string_agg(instance, ',' order by applied_at) as instances
     from applied where consumer_group = $1 group by event_id`,
    [group],
  );
  const seen = new Set(rows.map((row) => row.event_id));
  return {
    rows: rows.reduce((sum, row) => sum + row.times, 0),
    distinct: rows.length,
    missing: [...published].filter((id) => !seen.has(id)),
    unexpected: rows.filter((row) => !published.has(row.event_id)).map((row) => row.event_id),
    duplicates: rows
      .filter((row) => row.times > 1)
      .map((row) => `${row.event_id} ×${row.times} (${row.instances})`),
  };
}

export function describeReport(group: string, report: AppliedReport, expected: number): string {
  const sample = (ids: string[]) =>
    ids.length === 0 ? '' : `: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;
  return [
    `${group}: ${report.rows} rows, ${report.distinct} distinct events (expected ${expected} of each)`,
    `  missing ${report.missing.length}${sample(report.missing)}`,
    `  duplicated ${report.duplicates.length}${sample(report.duplicates)}`,
    `  never published ${report.unexpected.length}${sample(report.unexpected)}`,
  ].join('\n');
}

export async function pendingOutbox(db: TestDatabase): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    'select count(*)::int as n from outbox where sent_at is null',
  );
  return rows[0]?.n ?? 0;
}

export async function deadLetterCount(db: TestDatabase): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>('select count(*)::int as n from event_dead_letters');
  return rows[0]?.n ?? 0;
}

/** Jobs of the groups' pg-boss queues that are not done: `queue state: count` (empty when none). */
export async function pgBossUnfinished(
  busUrl: string,
  queues: readonly string[],
  schema = 'pgboss',
): Promise<string[]> {
  const client = new pg.Client({ connectionString: busUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; state: string; n: number }>(
      `select name, state::text, count(*)::int as n from ${schema}.job
       where name = any($1::text[]) and state::text <> 'completed'
       group by name, state order by name, state`,
      [queues],
    );
    return rows.map((row) => `${row.name} ${row.state}: ${row.n}`);
  } finally {
    await client.end();
  }
}
