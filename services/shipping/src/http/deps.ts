import type pg from 'pg';
import type { ShippingContext } from '../context.ts';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
  ctx: ShippingContext;
}
