import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { Type } from 'typebox';
import { createApp } from '../src/app.ts';
import { captureLogs } from './support/log-capture.ts';

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
});
after(() => db.drop());

async function newApp(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({
    service: 'metrics-test',
    version: '2.0.0',
    logStream: captureLogs().stream,
    ...options,
  });
}

function seriesOf(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

test('/metrics is Prometheus text with the request histogram labelled by route template', async () => {
  const app = await newApp();
  app.get('/products/:id', { schema: { params: Type.Object({ id: Type.Integer() }) } }, async () => ({}));
  try {
    await app.inject({ url: '/products/1' });
    await app.inject({ url: '/products/2' });
    await app.inject({ url: '/products/abc' });
    await app.inject({ method: 'HEAD', url: '/products/3' });
    const res = await app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = res.body;
    assert.match(text, /# TYPE http_server_request_duration_seconds histogram/);
    const counts = seriesOf(text, 'http_server_request_duration_seconds_count');
    assert.ok(
      counts.includes(
        'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/products/:id",http_response_status_code="200"} 2',
      ),
      counts.join('\n'),
    );
    assert.ok(
      counts.includes(
        'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/products/:id",http_response_status_code="400"} 1',
      ),
    );
    assert.ok(counts.some((line) => line.includes('http_request_method="HEAD"')));
    assert.equal(text.includes('/products/1"'), false, 'raw URLs must never become labels');
    assert.match(text, /^http_server_request_duration_seconds_bucket\{.*le="0\.005".*\} \d+$/m);
    assert.match(text, /^http_server_request_duration_seconds_bucket\{.*le="\+Inf".*\} 2$/m);
    assert.match(
      text,
      /^http_server_request_duration_seconds_sum\{http_request_method="GET",http_route="\/products\/:id",http_response_status_code="200"\} [\d.e-]+$/m,
    );
  } finally {
    await app.close();
  }
});

test('unknown URLs and odd methods share one series each: label cardinality stays bounded', async () => {
  const app = await newApp();
  try {
    for (let i = 0; i < 50; i++) await app.inject({ url: `/random/${i}/${Math.random()}` });
    await app.inject({ method: 'PROPFIND', url: '/dav' });
    const counts = seriesOf(
      (await app.inject({ url: '/metrics' })).body,
      'http_server_request_duration_seconds_count',
    );
    const unmatched = counts.filter((line) => line.includes('http_route=""'));
    assert.deepEqual(unmatched, [
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="",http_response_status_code="404"} 50',
      'http_server_request_duration_seconds_count{http_request_method="_OTHER",http_route="",http_response_status_code="404"} 1',
    ]);
  } finally {
    await app.close();
  }
});

test('process, event-loop and service_info metrics are exported', async () => {
  const app = await newApp();
  try {
    const text = (await app.inject({ url: '/metrics' })).body;
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      assert.match(text, new RegExp(`^${name}`, 'm'), `${name} missing`);
    }
    assert.match(text, /^service_info\{service="metrics-test",version="2\.0\.0"\} 1$/m);
  } finally {
    await app.close();
  }
});

test('DB pool gauges appear when the app has a pool', async () => {
  const app = await newApp({ db: db.pool });
  try {
    await db.pool.query('select 1');
    const text = (await app.inject({ url: '/metrics' })).body;
    assert.match(text, /^db_client_connection_count\{state="idle"\} \d+$/m);
    assert.match(text, /^db_client_connection_count\{state="used"\} \d+$/m);
    assert.match(text, /^db_client_connection_pending_requests \d+$/m);
    assert.match(text, /^db_client_connection_max 5$/m);
  } finally {
    await app.close();
  }
});

test('each app has its own registry: two apps in one process do not collide', async () => {
  const a = await newApp();
  const b = await newApp({ service: 'other' });
  try {
    assert.notEqual(a.shopnow.metrics, b.shopnow.metrics);
    assert.match((await b.inject({ url: '/metrics' })).body, /service_info\{service="other"/);
  } finally {
    await a.close();
    await b.close();
  }
});
