// Tracing across the event backbone: the producer's traceparent travels in the envelope, and the
// relay's send span and the consumer's process span join the producer's trace (the process span
// also links to the producer's span), so one trace shows the request, the relay and the handling.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { withTransaction } from '@shopnow/chassis';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { Events } from '../src/events.ts';
import { consume } from '../src/inbox/handlers.ts';
import { createPostgresTransport } from '../src/transports/postgres.ts';
import {
  eventually,
  quietLogger,
  serviceDatabase,
  ThingHappenedV1,
  testCatalog,
} from './support/runtime-fixture.ts';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager().enable();

let db: TestDatabase;
let bus: TestDatabase;
let events: Events;
const handledIn: Array<{ traceId: string | undefined }> = [];

before(async () => {
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  db = await serviceDatabase();
  bus = await testDatabase();
  events = new Events({
    service: 'svc',
    db: db.pool,
    transport: createPostgresTransport({ connectionString: bus.url, logger: quietLogger }),
    catalog: testCatalog(),
    logger: quietLogger,
  });
  events.subscribe(
    consume(ThingHappenedV1, 'svc.traced', async (event, tx) => {
      handledIn.push({ traceId: trace.getSpanContext(context.active())?.traceId });
      await tx.query('insert into applied (consumer_group, n, event_id) values ($1, $2, $3)', [
        'svc.traced',
        event.data.n,
        event.id,
      ]);
    }),
  );
  await events.start();
});

after(async () => {
  await events?.stop();
  await db?.drop();
  await bus?.drop();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

it('one trace shows the request, the relay and the handling', async () => {
  const tracer = trace.getTracer('test');
  const request = tracer.startSpan('POST /things', { kind: SpanKind.SERVER });
  const envelope = await context.with(trace.setSpan(context.active(), request), () =>
    withTransaction(db.pool, (tx) => events.publish(tx, ThingHappenedV1, { subject: 't-1', data: { n: 1 } })),
  );
  request.end();
  const { traceId, spanId } = request.spanContext();
  assert.equal(envelope.traceparent, `00-${traceId}-${spanId}-01`, 'the envelope carries the request span');

  const find = (name: string): ReadableSpan | undefined =>
    exporter.getFinishedSpans().find((span) => span.name === name);
  await eventually(
    'the process span has ended',
    async () => find(`process ${ThingHappenedV1.type}`) !== undefined,
  );

  const send = find(`send ${ThingHappenedV1.type}`);
  const processed = find(`process ${ThingHappenedV1.type}`);
  assert.ok(send && processed);
  assert.equal(send.kind, SpanKind.PRODUCER);
  assert.equal(send.spanContext().traceId, traceId, 'the relay span is in the request trace');
  assert.equal(send.parentSpanContext?.spanId, spanId);
  assert.equal(processed.kind, SpanKind.CONSUMER);
  assert.equal(processed.spanContext().traceId, traceId, 'the handling span is in the request trace');
  assert.equal(processed.parentSpanContext?.spanId, spanId);
  assert.deepEqual(
    processed.links.map((link) => link.context.spanId),
    [spanId],
    'the handling span links to the producer span',
  );
  assert.equal(processed.attributes['messaging.consumer.group.name'], 'svc.traced');
  assert.equal(processed.attributes['messaging.message.id'], envelope.id);
  assert.deepEqual(handledIn, [{ traceId }], 'the handler runs inside the process span');
});
