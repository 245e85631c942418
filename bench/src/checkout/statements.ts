// Where PostgreSQL's time goes during a phase, statement by statement (pg_stat_statements, loaded
// into the platform's server only when asked: `--statements <n>`): reset before the phase, the top
// `n` by total execution time after it, with their database, calls and mean time.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PostgresTarget, withClient } from './postgres-target.ts';

/** The server settings that load the extension (SHOPNOW_PG_SETTINGS of the platform's launcher). */
export const STATEMENTS_SETTINGS = 'shared_preload_libraries=pg_stat_statements pg_stat_statements.track=all';

export interface StatementCost {
  database: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  query: string;
}

export async function resetStatements(target: PostgresTarget): Promise<void> {
  await withClient(target, 'postgres', async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  });
}

export async function topStatements(target: PostgresTarget, limit: number): Promise<StatementCost[]> {
  return withClient(target, 'postgres', async (client) => {
    const { rows } = await client.query<StatementCost>(
      `SELECT d.datname AS database, s.calls::int AS calls,
              round(s.total_exec_time::numeric, 1)::float8 AS "totalMs",
              round(s.mean_exec_time::numeric, 3)::float8 AS "meanMs",
              s.rows::int AS rows, regexp_replace(s.query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
       ORDER BY s.total_exec_time DESC LIMIT $1`,
      [limit],
    );
    return rows;
  });
}

/** One line per statement, most expensive first; the whole list is also written to the run folder. */
export async function reportStatements(
  statements: StatementCost[],
  orders: number,
  file: { runDir: string; name: string },
): Promise<string[]> {
  const lines = statements.map(
    (s) =>
      `${String(s.totalMs).padStart(9)} ms ${String(Math.round((s.totalMs / Math.max(1, orders)) * 100) / 100).padStart(6)} ms/order ${String(s.calls).padStart(7)} calls ${String(s.meanMs).padStart(7)} ms  ${s.database}: ${s.query}`,
  );
  await writeFile(join(file.runDir, file.name), `${lines.join('\n')}\n`);
  return lines.map((line) => (line.length > 220 ? `${line.slice(0, 217)}...` : line));
}
