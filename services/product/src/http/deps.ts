import type { Events } from '@shopnow/events';
import type pg from 'pg';
import type { ProductCache } from '../cache/product-cache.ts';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
  cache: ProductCache;
  /** Publishes catalog changes through the outbox. */
  events: Events;
}
