import type { Events } from '@shopnow/events';
import type pg from 'pg';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
  /** Publishes user changes through the outbox. */
  events: Events;
}
