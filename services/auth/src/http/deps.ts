import type { Events } from '@shopnow/events';
import type pg from 'pg';
import type { ThrottleRules } from '../domain/throttle.ts';
import type { SessionOpener } from '../sessions/token-sessions.ts';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
  /** Publishes account events through the outbox. */
  events: Events;
  /** The time every rule is judged at (tests move it instead of sleeping). */
  clock: () => Date;
  throttle: ThrottleRules;
  sessions: SessionOpener;
  /** An argon2id hash of a random secret: verified against when the email has no account. */
  dummyHash: string;
}
