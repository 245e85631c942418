import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { captureLogs } from './support/log-capture.ts';

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
});
after(() => db.drop());

async function newApp(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({ service: 'health-test', version: '0.1.0', logStream: captureLogs().stream, ...options });
}

test('/health/live answers 200 whatever the dependencies say', async () => {
  const app = await newApp({ readiness: { broken: async () => Promise.reject(new Error('down')) } });
  try {
    const res = await app.inject({ url: '/health/live' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  } finally {
    await app.close();
  }
});

test('/health/ready checks the real database and every declared dependency', async () => {
  let calls = 0;
  const app = await newApp({
    db: db.pool,
    readiness: {
      cache: async () => {
        calls++;
      },
    },
  });
  try {
    const res = await app.inject({ url: '/health/ready' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ready', checks: { db: 'ok', cache: 'ok' } });
    assert.equal(calls, 1);
  } finally {
    await app.close();
  }
});

test('an unreachable database makes ready 503 and names it, without leaking the error', async () => {
  const deadUrl = new URL(db.url);
  deadUrl.port = '1'; // nothing listens there
  const dead = new pg.Pool({ connectionString: deadUrl.toString(), connectionTimeoutMillis: 500 });
  const logs = captureLogs();
  const app = await newApp({ db: dead, logStream: logs.stream });
  try {
    const res = await app.inject({ url: '/health/ready' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const body = res.json();
    assert.equal(body.code, 'unavailable');
    assert.equal(body.detail, 'not ready: db');
    assert.deepEqual(body.checks, { db: 'fail' });
    assert.equal(res.body.includes('ECONNREFUSED'), false);
    assert.ok(logs.lines.some((line) => line.msg === 'readiness check failed' && line.check === 'db'));
  } finally {
    await app.close();
    await dead.end();
  }
});

test('a failing or hanging dependency fails readiness within the timeout', async () => {
  const app = await newApp({
    db: db.pool,
    readinessTimeoutMs: 100,
    readiness: {
      broker: () => new Promise(() => {}),
      search: async () => {
        throw new Error('no');
      },
    },
  });
  try {
    const started = Date.now();
    const res = await app.inject({ url: '/health/ready' });
    assert.ok(Date.now() - started < 1000, 'a hanging check must not hang the probe');
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().detail, 'not ready: broker, search');
    assert.deepEqual(res.json().checks, { db: 'ok', broker: 'fail', search: 'fail' });
  } finally {
    await app.close();
  }
});

test('ready turns 503 as soon as shutdown begins, live stays 200', async () => {
  const app = await newApp({ db: db.pool });
  try {
    assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 200);
    app.shopnow.markShuttingDown();
    const res = await app.inject({ url: '/health/ready' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().detail, 'shutting down');
    assert.equal((await app.inject({ url: '/health/live' })).statusCode, 200);
  } finally {
    await app.close();
  }
});

test('probes do not write a log line per call', async () => {
  const logs = captureLogs();
  const app = await newApp({ logStream: logs.stream });
  try {
    await app.inject({ url: '/health/live' });
    await app.inject({ url: '/health/ready' });
    assert.equal(logs.lines.length, 0, logs.text());
  } finally {
    await app.close();
  }
});
