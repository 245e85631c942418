import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { serviceNameFromEntry } from '../src/tracing/start-tracing.ts';
import { currentTraceId } from '../src/tracing/trace-id.ts';
import { isTracingConfigured } from '../src/tracing/tracing-enabled.ts';
import { startServer, type TestServer } from './support/http-server.ts';

const FIXTURE = new URL('./fixtures/traced-service.ts', import.meta.url).pathname;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

interface ExportedSpan {
  traceId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  serviceName: string;
}

let db: TestDatabase;
let downstream: TestServer;
let collector: TestServer;
before(async () => {
  db = await testDatabase();
  downstream = await startServer((_req, res) => res.end('ok'));
  collector = await startServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  );
});
after(async () => {
  await Promise.all([downstream.close(), collector.close(), db.drop()]);
});

async function startService(
  extraEnv: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    DOWNSTREAM_URL: downstream.url,
    ...extraEnv,
  };
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_') && !(name in extraEnv)) delete env[name];
  const child = spawn(process.execPath, ['--import', '@shopnow/chassis/tracing', FIXTURE], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { child, port: Number(String(line).trim()) };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function exportedSpans(): ExportedSpan[] {
  return collector.received
    .filter((request) => request.url === '/v1/traces')
    .flatMap((request) => JSON.parse(request.body).resourceSpans)
    .flatMap(
      (resource: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: ExportedSpan[] }[];
      }) => {
        const serviceName =
          resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        return resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ ...span, serviceName })));
      },
    );
}

test('with an OTLP endpoint, a request carrying traceparent exports server, pg and client spans in that trace', async () => {
  const { child, port } = await startService({
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'traced-fixture',
    OTEL_BSP_SCHEDULE_DELAY: '50',
  });
  try {
    const response = await fetch(`http://127.0.0.1:${port}/work`, { headers: { traceparent: TRACEPARENT } });
    assert.deepEqual(await response.json(), { tracing: true, recording: true, traceId: TRACE_ID });

    // The downstream call continues the same trace, with the client span as its parent.
    const forwarded = downstream.received.at(-1)?.headers.traceparent as string;
    assert.match(forwarded, new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    assert.notEqual(forwarded.split('-')[2], PARENT_ID);
    assert.equal(downstream.received.at(-1)?.headers['x-request-id'], 'fixture-request');

    // Exports are batched (the server span, ending last, may come in a later batch); on a loaded
    // CI machine they can take seconds to arrive. Wait for each kind the assertions look for.
    const arrived = () => {
      const inTrace = exportedSpans().filter((s) => s.traceId === TRACE_ID);
      return (
        inTrace.some((s) => s.kind === 2) &&
        inTrace.some((s) => s.kind === 3) &&
        inTrace.some((s) => /select|pg/i.test(s.name))
      );
    };
    for (let i = 0; i < 300 && !arrived(); i++) await sleep(50);
    const spans = exportedSpans().filter((span) => span.traceId === TRACE_ID);
    const server = spans.find((span) => span.kind === 2);
    assert.equal(server?.parentSpanId, PARENT_ID, 'no server span under the incoming parent');
    assert.ok(
      spans.some((span) => span.kind === 3 && span.name.startsWith('GET')),
      'no undici client span',
    );
    assert.ok(
      spans.some((span) => /select|pg/i.test(span.name)),
      `no pg span in ${spans.map((s) => s.name)}`,
    );
    assert.ok(spans.every((span) => span.serviceName === 'traced-fixture'));
  } finally {
    await stop(child);
  }
});

test('without OTEL variables nothing is started, and traceparent is still forwarded and logged', async () => {
  collector.received.length = 0;
  const { child, port } = await startService({});
  try {
    const response = await fetch(`http://127.0.0.1:${port}/work`, { headers: { traceparent: TRACEPARENT } });
    assert.deepEqual(await response.json(), { tracing: false, recording: false, traceId: TRACE_ID });
    assert.equal(downstream.received.at(-1)?.headers.traceparent, TRACEPARENT);
  } finally {
    await stop(child);
  }
  assert.equal(collector.received.length, 0);
});

test('isTracingConfigured follows the standard variables', () => {
  assert.equal(isTracingConfigured({}), false);
  assert.equal(isTracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }), true);
  assert.equal(isTracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }), true);
  assert.equal(
    isTracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }),
    false,
  );
});

test('currentTraceId falls back to a well-formed incoming traceparent', () => {
  assert.equal(currentTraceId(TRACEPARENT), TRACE_ID);
  assert.equal(currentTraceId(undefined), undefined);
  assert.equal(currentTraceId('garbage'), undefined);
  assert.equal(currentTraceId(`00-${'0'.repeat(32)}-${PARENT_ID}-01`), undefined);
});

test('the service name defaults to the services/<name> directory of the entry point', () => {
  assert.equal(serviceNameFromEntry('/repo/services/product/src/main.ts'), 'product');
  assert.equal(serviceNameFromEntry('/repo/tools/thing.ts'), 'thing');
});
