import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/app.ts';
import { AppError, commonErrors } from '../src/errors.ts';
import { flatInfoWriter } from '../src/flat-line.ts';
import { createLogger } from '../src/logging.ts';
import { REDACTED, redactSecrets } from '../src/redact.ts';
import { captureLogs } from './support/log-capture.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('each request logs exactly one JSON line with service, version, request_id, trace_id, route and timing', async () => {
  const logs = captureLogs();
  const app = await createApp({ service: 'catalog', version: '1.4.0', logStream: logs.stream });
  app.get('/products/:id', async () => ({ ok: true }));
  try {
    const res = await app.inject({
      url: '/products/42?fields=name',
      headers: { 'x-request-id': 'req-1', traceparent: TRACEPARENT },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(logs.lines.length, 1, logs.text());
    const line = logs.lines[0] ?? {};
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'request completed');
    assert.equal(line.service, 'catalog');
    assert.equal(line.version, '1.4.0');
    assert.equal(line.request_id, 'req-1');
    assert.equal(line.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(line.method, 'GET');
    assert.equal(line.url, '/products/42?fields=name');
    assert.equal(line.route, '/products/:id');
    assert.equal(line.status_code, 200);
    assert.equal(typeof line.duration_ms, 'number');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  } finally {
    await app.close();
  }
});

test('lines a handler logs carry the request id too; no trace_id without a trace', async () => {
  const logs = captureLogs();
  const app = await createApp({ service: 'catalog', version: '1.4.0', logStream: logs.stream });
  app.get('/work', async (request) => {
    request.log.info({ step: 'lookup' }, 'working');
    return {};
  });
  try {
    const res = await app.inject({ url: '/work' });
    const requestId = res.headers['x-request-id'];
    assert.equal(logs.lines.length, 2);
    for (const line of logs.lines) {
      assert.equal(line.request_id, requestId);
      assert.equal('trace_id' in line, false);
    }
  } finally {
    await app.close();
  }
});

test('authorization, cookies, passwords and tokens never reach the log', async () => {
  const logs = captureLogs();
  const app = await createApp({ service: 'catalog', version: '1.4.0', logStream: logs.stream });
  app.post('/login', async (request) => {
    request.log.info({ headers: request.headers, body: request.body }, 'login attempt');
    request.log.info({ user: { email: 'a@b.c', password: 'pw-in-object' }, token: 'tok-top' }, 'user');
    const err = Object.assign(new Error('upstream refused'), {
      config: { headers: { Authorization: 'Bearer in-error' } },
    });
    request.log.error({ err }, 'upstream failed');
    throw new AppError(commonErrors.unauthorized, 'bad credentials');
  });
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { authorization: 'Bearer header-secret', cookie: 'session=cookie-secret' },
      payload: { email: 'a@b.c', password: 'body-secret', refresh_token: 'refresh-secret' },
    });
    assert.equal(res.statusCode, 401);
    const text = logs.text();
    for (const secret of [
      'header-secret',
      'cookie-secret',
      'body-secret',
      'refresh-secret',
      'pw-in-object',
      'tok-top',
      'in-error',
    ]) {
      assert.equal(text.includes(secret), false, `${secret} leaked into the log`);
    }
    const attempt = logs.lines.find((line) => line.msg === 'login attempt') as {
      headers: Record<string, string>;
      body: Record<string, string>;
    };
    assert.equal(attempt.headers.authorization, REDACTED);
    assert.equal(attempt.headers.cookie, REDACTED);
    assert.equal(attempt.body.password, REDACTED);
    assert.equal(attempt.body.email, 'a@b.c', 'non-secret fields stay readable');
  } finally {
    await app.close();
  }
});

test('redactSecrets copies only when needed and never modifies the caller object', () => {
  const clean = { a: 1, nested: { b: [1, { c: 2 }] } };
  assert.equal(redactSecrets(clean), clean);
  const input = { user: { name: 'n', Password: 'p' }, list: [{ apiKey: 'k' }] };
  const out = redactSecrets(input);
  assert.deepEqual(out, { user: { name: 'n', Password: REDACTED }, list: [{ apiKey: REDACTED }] });
  assert.equal(input.user.Password, 'p');
  assert.equal(input.list[0]?.apiKey, 'k');
});

test('createLogger writes service and version on every line at the configured level', () => {
  const logs = captureLogs();
  const logger = createLogger({ service: 's', version: 'v', level: 'warn', stream: logs.stream });
  logger.info('hidden');
  logger.warn({ secret: 'x' }, 'shown');
  assert.equal(logs.lines.length, 1);
  assert.equal(logs.lines[0]?.service, 's');
  assert.equal(logs.lines[0]?.version, 'v');
  assert.equal(logs.lines[0]?.level, 'warn');
  assert.equal(logs.lines[0]?.secret, REDACTED);
});

test("the request line's fast writer writes exactly the line pino would", () => {
  const logs = captureLogs();
  const logger = createLogger({ service: 'catalog', version: '1.4.0', stream: logs.stream });
  const fields = {
    request_id: 'req-"quoted"\n',
    trace_id: undefined,
    method: 'GET',
    url: '/products/42?q=caf\u00e9\u2028',
    route: '/products/:id',
    status_code: 200,
    duration_ms: 1.234,
  };
  logger.info(fields, 'request completed');
  flatInfoWriter(logger)(fields, 'request completed');
  const [viaPino, viaWriter] = logs.text().split('\n');
  const withoutTime = (line = '') => line.replace(/"time":"[^"]+"/, '"time":""');
  assert.ok(viaPino?.includes('"pid":'), viaPino);
  assert.equal(withoutTime(viaWriter), withoutTime(viaPino));
});
