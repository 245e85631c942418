// Messages between the harness and the consumer process (Node IPC). Every request carries an
// id that its answer repeats.
import type { Phase } from './contract.ts';
import type { BusSpec } from './transports.ts';

/** Given to the consumer process in BENCH_CONSUMER_CONFIG (JSON). */
export interface ConsumerConfig {
  /** The consumer service's own database (migrated, with bench_handled). */
  databaseUrl: string;
  bus: BusSpec;
  group: string;
  /** Deliveries in flight (EVENTS_CONCURRENCY). */
  concurrency: number;
}

export type Request =
  | { id: number; type: 'clock' }
  | { id: number; type: 'progress'; phase: Phase }
  | { id: number; type: 'report'; phase: Phase }
  | { id: number; type: 'stop' };

export type Answer =
  | { id: number; type: 'clock'; now: number }
  | { id: number; type: 'progress'; handled: number; duplicates: number }
  /** `times`: [n, when its handler's transaction had committed (wall-clock ms, consumer's clock)]. */
  | { id: number; type: 'report'; times: Array<[number, number]>; duplicates: number }
  | { id: number; type: 'stop' };

/** Sent once, unprompted, when the consumer is subscribed and its transport started. */
export interface Ready {
  type: 'ready';
}
