// Deliveries that reach a consumer group together (a pg-boss batch, RabbitMQ deliveries read in
// one turn) are applied in one transaction: one BEGIN/COMMIT and one inbox insert for all of them,
// the handlers one after another on its connection. On a busy database the round trips per event
// are what limit throughput (bench: events-throughput), and this cuts the consumer's from four to
// about one. It changes cost, never outcomes: anything but the plain case (a malformed message, a
// handler that throws, the database failing) falls back to processDelivery for each delivery, in
// its own transaction, with its retries and dead letters; the batch's writes are rolled back first.
import { AsyncResource } from 'node:async_hooks';
import { context, type Span, trace } from '@opentelemetry/api';
import { withTransaction } from '@shopnow/chassis';
import { producerContext } from '../trace-context.ts';
import type { Delivery, Settlement } from '../transport.ts';
import {
  finish,
  type GroupContext,
  type ParsedDelivery,
  parseDelivery,
  processDelivery,
  processSpanOptions,
} from './process-delivery.ts';

interface Pending {
  delivery: Delivery;
  /** The async context the delivery arrived in: its handler runs in it, as it would alone. */
  scope: AsyncResource;
  settle(settlement: Settlement): void;
}

type Batchable = Pending & { parsed: Extract<ParsedDelivery, { ok: true }> };

/** Collects the deliveries submitted in one event-loop turn and settles them together. */
export class DeliveryBatcher {
  readonly #ctx: GroupContext;
  #queue: Pending[] = [];

  constructor(ctx: GroupContext) {
    this.#ctx = ctx;
  }

  submit(delivery: Delivery): Promise<Settlement> {
    return new Promise((settle) => {
      this.#queue.push({ delivery, scope: new AsyncResource('shopnow.event-delivery'), settle });
      if (this.#queue.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#queue;
    this.#queue = [];
    void settleBatch(this.#ctx, batch);
  }
}

async function settleBatch(ctx: GroupContext, batch: Pending[]): Promise<void> {
  const together: Batchable[] = [];
  const alone: Pending[] = [];
  if (batch.length > 1) {
    for (const pending of batch) {
      const parsed = parseDelivery(ctx, pending.delivery);
      if (parsed.ok) together.push({ ...pending, parsed });
      else alone.push(pending);
    }
  } else alone.push(...batch);
  if (together.length === 1) alone.push(...together.splice(0));
  const applied = together.length > 0 && (await applyTogether(ctx, together));
  if (!applied) alone.push(...together);
  await Promise.all(alone.map((pending) => settleAlone(ctx, pending)));
}

async function settleAlone(ctx: GroupContext, pending: Pending): Promise<void> {
  try {
    pending.settle(await pending.scope.runInAsyncScope(() => processDelivery(ctx, pending.delivery)));
  } catch (err) {
    // processDelivery settles every failure itself; this is only a last guard against a lost delivery.
    ctx.logger.error({ err, consumer_group: ctx.group }, 'event delivery failed unexpectedly; retrying it');
    pending.settle({ outcome: 'retry', delayMs: ctx.retry.maxDelayMs });
  }
}

/** True when every delivery was applied (or found in the inbox) and settled; false: nothing was. */
async function applyTogether(ctx: GroupContext, items: Batchable[]): Promise<boolean> {
  const started = performance.now();
  const tracer = trace.getTracer('@shopnow/events');
  const spans = items.map(({ parsed, delivery }) =>
    tracer.startSpan(
      `process ${parsed.envelope.type}`,
      processSpanOptions(ctx, parsed.envelope, delivery.attempt),
      producerContext(parsed.envelope.traceparent),
    ),
  );
  let outcomes: Array<'handled' | 'duplicate'>;
  try {
    outcomes = await withTransaction(ctx.db, async (tx) => {
      const { rows } = await tx.query<{ event_id: string }>({
        name: 'shopnow_events_inbox_insert_batch',
        text: `insert into inbox (consumer_group, event_id, event_type)
               select $1, e.id, e.type from unnest($2::text[], $3::text[]) as e(id, type)
               on conflict do nothing returning event_id`,
        values: [
          ctx.group,
          items.map((item) => item.parsed.envelope.id),
          items.map((item) => item.parsed.envelope.type),
        ],
      });
      const fresh = new Set(rows.map((row) => row.event_id));
      const result: Array<'handled' | 'duplicate'> = [];
      for (const [i, { parsed, scope }] of items.entries()) {
        // Deleted once handled: the same event twice in one batch runs its handler once.
        if (!fresh.delete(parsed.envelope.id)) {
          result.push('duplicate');
          continue;
        }
        const spanContext = trace.setSpan(producerContext(parsed.envelope.traceparent), spans[i] as Span);
        await scope.runInAsyncScope(() =>
          context.with(spanContext, () => parsed.handler(parsed.envelope, tx)),
        );
        result.push('handled');
      }
      return result;
    });
  } catch (err) {
    ctx.logger.debug(
      { err, consumer_group: ctx.group, events: items.length },
      'a batch of events failed together; applying them one by one',
    );
    for (const span of spans) {
      span.setAttribute('shopnow.batch.rolled_back', true);
      span.end();
    }
    return false;
  }
  for (const [i, item] of items.entries()) {
    finish(ctx, item.parsed.envelope.type, outcomes[i] ?? 'handled', started);
    spans[i]?.end();
    item.settle({ outcome: 'ack' });
  }
  return true;
}
