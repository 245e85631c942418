// The run-time fault settings (one row), shared by every replica.
import type { Faults } from '../domain/faults.ts';
import type { Queryable } from './db.ts';

export async function readFaults(db: Queryable): Promise<Faults | undefined> {
  const { rows } = await db.query<Faults>(
    'SELECT latency_ms AS "latencyMs", error_rate AS "errorRate", down FROM sandbox_faults',
  );
  return rows[0];
}

export async function writeFaults(db: Queryable, faults: Faults): Promise<void> {
  await db.query(
    `INSERT INTO sandbox_faults (singleton, latency_ms, error_rate, down) VALUES (true, $1, $2, $3)
     ON CONFLICT (singleton) DO UPDATE
       SET latency_ms = excluded.latency_ms, error_rate = excluded.error_rate, down = excluded.down, updated_at = now()`,
    [faults.latencyMs, faults.errorRate, faults.down],
  );
}

export async function clearFaults(db: Queryable): Promise<void> {
  await db.query('DELETE FROM sandbox_faults');
}
