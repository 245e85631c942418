// What the chaos test and its child processes share: the event, the catalog, the service
// database's migrations and the configuration handed to a child process.
import { defineEvent, EventCatalog } from '@shopnow/contracts';
import { Type } from 'typebox';

export const ChaosEventV1 = defineEvent(
  'chaos.event_happened.v1',
  Type.Object({ n: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
);

export const chaosCatalog = () => new EventCatalog([ChaosEventV1]);

/** The `applied` table of a consuming service (no unique constraint: a double application shows). */
export const CHAOS_MIGRATIONS_DIR = new URL('./migrations/', import.meta.url).pathname;

export type TransportKind = 'postgres' | 'rabbitmq';

export interface BusSpec {
  kind: TransportKind;
  /** The bus database (postgres) or an amqp:// URL (rabbitmq). */
  url: string;
}

/** The configuration of one child process (consumer.ts), as JSON in CHAOS_CONFIG. */
export interface ChaosProcessConfig {
  /** Label of this instance in logs and in the `applied` rows (`a-3`, `relay-1`). */
  instance: string;
  /** The service database: its outbox (relay), inbox, dead letters and `applied` table. */
  databaseUrl: string;
  bus: BusSpec;
  /** Consumer groups this instance consumes with (each handler writes an `applied` row). */
  groups: string[];
  /** Deliveries in flight per group in this instance. */
  concurrency: number;
  /** Run the outbox relay of the service database. */
  relay: boolean;
}

export const CONFIG_ENV = 'CHAOS_CONFIG';

/** Lines a child process prints on stdout. */
export const READY_LINE = 'ready';
/** `dup <group> <event id>`: a delivery acknowledged without running the handler (the inbox had it). */
export const DUPLICATE_PREFIX = 'dup ';
