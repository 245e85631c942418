import type pg from 'pg';
import type { ProviderMetrics } from './metrics.ts';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
  /** The time (tests move it to expire tokens). */
  clock: () => Date;
  tokenTtlSeconds: number;
  metrics: ProviderMetrics;
}
