import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';

/**
 * Pool gauges named after the OpenTelemetry database-client semantic conventions
 * (db.client.connection.*), read at scrape time so they cost nothing between scrapes.
 */
export function registerPoolMetrics(registry: Registry, pool: pg.Pool): void {
  new Gauge({
    name: 'db_client_connection_count',
    help: 'Connections in the pool, by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'used' }, pool.totalCount - pool.idleCount);
    },
  });
  new Gauge({
    name: 'db_client_connection_pending_requests',
    help: 'Callers waiting for a connection from the pool',
    registers: [registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({
    name: 'db_client_connection_max',
    help: 'Maximum connections the pool may open',
    registers: [registry],
    collect() {
      this.set(pool.options.max);
    },
  });
}
