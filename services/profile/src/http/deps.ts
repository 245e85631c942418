import type pg from 'pg';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
}
