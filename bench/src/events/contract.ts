// The benchmark's own event and tables: a stand-in "order placed" write on the producer side and
// a projection row per handled event on the consumer side, in databases of their own.
import { defineEvent, EventCatalog } from '@shopnow/contracts';
import { Type } from 'typebox';

/** Phases of a run; every event carries its phase and its sequence number within it. */
export type Phase = 'warmup' | 'latency' | 'throughput';

export const BenchOrderPlacedV1 = defineEvent(
  'bench.order_placed.v1',
  Type.Object(
    {
      phase: Type.Union([Type.Literal('warmup'), Type.Literal('latency'), Type.Literal('throughput')]),
      n: Type.Integer({ minimum: 0 }),
      orderId: Type.String({ minLength: 1 }),
      amountMinor: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
);

export const benchCatalog = () => new EventCatalog([BenchOrderPlacedV1]);

/**
 * The producer's business table: each event's transaction inserts one row here first, and the
 * INSERT+COMMIT baseline inserts the very same row without the event.
 */
export const PRODUCER_DDL = `
  create table bench_orders (
    id           bigserial   primary key,
    phase        text        not null,
    n            integer     not null,
    amount_minor integer     not null,
    created_at   timestamptz not null default now()
  )`;

/** What the consumer's handler writes; no unique key, so a handler run twice would show as two rows. */
export const CONSUMER_DDL = `
  create table bench_handled (
    phase      text        not null,
    n          integer     not null,
    event_id   text        not null,
    order_id   text        not null,
    handled_at timestamptz not null default now()
  )`;

/** The migrations of a bench "service": the chassis and events tables only (its own are above). */
export const NO_SERVICE_MIGRATIONS = new URL('./no-migrations/', import.meta.url).pathname;

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
