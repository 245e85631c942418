import type pg from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface EventsMetrics {
  relayed(type: string, lagSeconds: number): void;
  consumed(group: string, type: string, outcome: ConsumeOutcome, seconds: number): void;
}

export type ConsumeOutcome = 'handled' | 'duplicate' | 'retry' | 'dead_lettered';

/** Outbox and consumer metrics; the outbox gauges are read from the database at scrape time. */
export function createEventsMetrics(registry: Registry | undefined, db: pg.Pool): EventsMetrics {
  if (registry === undefined) return { relayed() {}, consumed() {} };
  const registers = [registry];
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Events committed to the outbox and not yet accepted by the transport',
    registers,
    async collect() {
      const { pending } = await outboxState(db);
      this.set(pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest event still waiting in the outbox (0 when none)',
    registers,
    async collect() {
      const { oldestAgeSeconds } = await outboxState(db);
      this.set(oldestAgeSeconds);
    },
  });
  const lag = new Histogram({
    name: 'outbox_relay_lag_seconds',
    help: 'Time from an event committed to the outbox to the transport accepting it',
    labelNames: ['event_type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const handled = new Counter({
    name: 'events_consumed_total',
    help: 'Deliveries settled by consumer group, event type and outcome',
    labelNames: ['consumer_group', 'event_type', 'outcome'],
    registers,
  });
  const duration = new Histogram({
    name: 'events_handler_duration_seconds',
    help: 'Time to settle one delivery (inbox check, handler, commit)',
    labelNames: ['consumer_group', 'event_type'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  return {
    relayed(type, lagSeconds) {
      lag.observe({ event_type: type }, lagSeconds);
    },
    consumed(group, type, outcome, seconds) {
      handled.inc({ consumer_group: group, event_type: type, outcome });
      duration.observe({ consumer_group: group, event_type: type }, seconds);
    },
  };
}

// Both gauges are collected in one scrape: one query serves them.
let cached:
  | { at: number; db: pg.Pool; value: Promise<{ pending: number; oldestAgeSeconds: number }> }
  | undefined;

function outboxState(db: pg.Pool): Promise<{ pending: number; oldestAgeSeconds: number }> {
  if (cached !== undefined && cached.db === db && Date.now() - cached.at < 500) return cached.value;
  const value = db
    .query<{ pending: string; age: number | null }>(
      `select count(*) as pending, extract(epoch from now() - min(created_at))::float8 as age
         from outbox where sent_at is null`,
    )
    .then(({ rows }) => ({ pending: Number(rows[0]?.pending ?? 0), oldestAgeSeconds: rows[0]?.age ?? 0 }))
    // Unknown while the database is unreachable: a scrape must still answer.
    .catch(() => ({ pending: Number.NaN, oldestAgeSeconds: Number.NaN }));
  cached = { at: Date.now(), db, value };
  return value;
}
