import { type Span, SpanKind, type SpanOptions, SpanStatusCode, trace } from '@opentelemetry/api';
import { withTransaction } from '@shopnow/chassis';
import type { EventCatalog, EventEnvelope } from '@shopnow/contracts';
import type pg from 'pg';
import type { Logger } from 'pino';
import { backoffDelayMs } from '../backoff.ts';
import { recordDeadLetter } from '../dead-letters/store.ts';
import type { ConsumeOutcome, EventsMetrics } from '../metrics.ts';
import { producerContext, spanContextOf } from '../trace-context.ts';
import type { Delivery, Settlement } from '../transport.ts';
import type { EventHandler } from './handlers.ts';

export interface RetryPolicy {
  /** Attempts before a failing event is dead-lettered. Default 5. */
  maxAttempts: number;
  /** Backoff between attempts: first delay and cap. Defaults 200 ms and 30 s. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface GroupContext {
  group: string;
  db: pg.Pool;
  catalog: EventCatalog;
  handlers: ReadonlyMap<string, EventHandler>;
  retry: RetryPolicy;
  logger: Logger;
  metrics: EventsMetrics;
  transportKind: string;
}

/**
 * Settles one delivery for a consumer group:
 * 1. a payload that is not a well-formed envelope of a known type, or whose data fails its
 *    schema, is dead-lettered at once (retrying cannot fix it) and acknowledged;
 * 2. otherwise the event id goes into the inbox and the handler runs, in one transaction: a
 *    redelivered event finds its id there and is acknowledged without running the handler;
 * 3. a failing handler is retried with exponential backoff and jitter, and dead-lettered with
 *    its error after `maxAttempts`.
 * A dead letter that cannot be stored (database down) is retried instead: nothing is dropped.
 */
export async function processDelivery(ctx: GroupContext, delivery: Delivery): Promise<Settlement> {
  const started = performance.now();
  const parsed = parseDelivery(ctx, delivery);
  if (!parsed.ok) return deadLetter(ctx, delivery, parsed.payload, parsed.envelope, parsed.error, started);
  const { envelope, handler, payload } = parsed;

  return trace
    .getTracer('@shopnow/events')
    .startActiveSpan<(span: Span) => Promise<Settlement>>(
      `process ${envelope.type}`,
      processSpanOptions(ctx, envelope, delivery.attempt),
      producerContext(envelope.traceparent),
      async (span) => {
        try {
          const outcome = await withTransaction(ctx.db, async (tx) => {
            // Named: parsed and planned once per connection, not on every event.
            const inserted = await tx.query({
              name: 'shopnow_events_inbox_insert',
              text: 'insert into inbox (consumer_group, event_id, event_type) values ($1, $2, $3) on conflict do nothing',
              values: [ctx.group, envelope.id, envelope.type],
            });
            if (inserted.rowCount === 0) return 'duplicate' as const;
            await handler(envelope, tx);
            return 'handled' as const;
          });
          finish(ctx, envelope.type, outcome, started);
          return { outcome: 'ack' };
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          if (delivery.attempt >= ctx.retry.maxAttempts) {
            ctx.logger.error(
              {
                err,
                consumer_group: ctx.group,
                event_id: envelope.id,
                event_type: envelope.type,
                attempt: delivery.attempt,
              },
              'event handler failed for the last time; dead-lettered',
            );
            return deadLetter(ctx, delivery, payload, envelope, errorText(err), started);
          }
          const delayMs = backoffDelayMs(delivery.attempt, ctx.retry.baseDelayMs, ctx.retry.maxDelayMs);
          ctx.logger.warn(
            {
              err,
              consumer_group: ctx.group,
              event_id: envelope.id,
              event_type: envelope.type,
              attempt: delivery.attempt,
              retry_in_ms: delayMs,
            },
            'event handler failed; retrying',
          );
          finish(ctx, envelope.type, 'retry', started);
          return { outcome: 'retry', delayMs };
        } finally {
          span.end();
        }
      },
    );
}

export type ParsedDelivery =
  | { ok: true; payload: string; envelope: EventEnvelope; handler: EventHandler }
  | { ok: false; payload: string; envelope: Partial<EventEnvelope>; error: string };

/**
 * Reads a delivery as an envelope of a known type with valid data and a handler in this group;
 * otherwise says why it must be dead-lettered (retrying cannot fix it), and logs it.
 */
export function parseDelivery(ctx: GroupContext, delivery: Delivery): ParsedDelivery {
  const payload = payloadText(delivery.payload);
  const decoded = decode(payload);
  const problems = decoded.ok ? ctx.catalog.problems(decoded.value) : [decoded.error];
  if (problems.length > 0) {
    const envelope = decoded.ok ? (decoded.value as Partial<EventEnvelope>) : {};
    ctx.logger.error(
      { consumer_group: ctx.group, event_id: envelope.id, event_type: envelope.type, problems },
      'malformed event; dead-lettered',
    );
    return { ok: false, payload, envelope, error: `malformed: ${problems.join('; ')}` };
  }
  const envelope = (decoded as { value: unknown }).value as EventEnvelope;
  const handler = ctx.handlers.get(envelope.type);
  if (handler === undefined) {
    return { ok: false, payload, envelope, error: `no handler for ${envelope.type} in ${ctx.group}` };
  }
  return { ok: true, payload, envelope, handler };
}

/** The consumer span of one event: a child of the producer's span, and linked to it. */
export function processSpanOptions(ctx: GroupContext, envelope: EventEnvelope, attempt: number): SpanOptions {
  const producer = spanContextOf(envelope.traceparent);
  return {
    kind: SpanKind.CONSUMER,
    links: producer === undefined ? [] : [{ context: producer }],
    attributes: {
      'messaging.system': ctx.transportKind,
      'messaging.operation.type': 'process',
      'messaging.destination.name': envelope.type,
      'messaging.consumer.group.name': ctx.group,
      'messaging.message.id': envelope.id,
      'shopnow.delivery.attempt': attempt,
    },
  };
}

async function deadLetter(
  ctx: GroupContext,
  delivery: Delivery,
  payload: string,
  envelope: Partial<EventEnvelope>,
  error: string,
  started: number,
): Promise<Settlement> {
  try {
    await recordDeadLetter(ctx.db, {
      consumerGroup: ctx.group,
      eventId: typeof envelope.id === 'string' ? envelope.id : null,
      eventType: typeof envelope.type === 'string' ? envelope.type : null,
      payload,
      error,
      attempts: delivery.attempt,
    });
  } catch (err) {
    ctx.logger.error(
      { err, consumer_group: ctx.group },
      'cannot store a dead letter; the delivery will be retried',
    );
    return { outcome: 'retry', delayMs: ctx.retry.maxDelayMs };
  }
  finish(ctx, typeof envelope.type === 'string' ? envelope.type : 'unknown', 'dead_lettered', started);
  return { outcome: 'ack' };
}

export function finish(ctx: GroupContext, type: string, outcome: ConsumeOutcome, started: number): void {
  ctx.metrics.consumed(ctx.group, type, outcome, (performance.now() - started) / 1000);
}

function payloadText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  try {
    return JSON.stringify(payload) ?? String(payload);
  } catch {
    return String(payload);
  }
}

type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

function decode(text: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
