import pg from 'pg';
import type { Logger } from 'pino';

export interface PoolOptions {
  connectionString: string;
  /** Pool size (DATABASE_POOL_MAX). Default 10. */
  max?: number;
  /** Shown in pg_stat_activity, so a DBA can tell which service holds a connection. */
  applicationName: string;
  logger?: Pick<Logger, 'warn'>;
  /** Server-side cap on any one statement. Default 30 s. */
  statementTimeoutMs?: number;
  /** How long a caller waits for a free connection before failing. Default 5 s. */
  connectionTimeoutMs?: number;
}

/**
 * A pg pool with production defaults: a runaway query is cancelled by the server, a
 * caller never waits forever for a connection, and an idle connection dropped by the
 * server (restart, failover, pg_terminate_backend) is logged instead of crashing the
 * process through an unhandled 'error' event.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    // A transaction left open by a bug must not hold locks and a connection forever.
    idle_in_transaction_session_timeout: 60_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  pool.on('error', (err) => {
    options.logger?.warn({ err }, 'idle database connection failed; it was removed from the pool');
  });
  return pool;
}

/**
 * Runs fn inside BEGIN/COMMIT on one client, rolling back if it throws. A client whose
 * ROLLBACK fails is destroyed rather than returned, since its session state is unknown.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackErr) {
      client.release(rollbackErr as Error);
    }
    throw err;
  }
}
