// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, serving over HTTP, graceful SIGTERM, and a
// restart that loses neither charges nor idempotency records).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, serviceScripts, type TestDatabase, testDatabase } from '@shopnow/testkit';
import { CARDS, PUBLISHABLE, SECRET } from './helpers.ts';

const service = serviceScripts(new URL('../src/', import.meta.url));
const run = service.run;

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
});
after(() => db?.drop());

const KEYS = { PROVIDER_SECRET_KEY: SECRET, PROVIDER_PUBLISHABLE_KEY: PUBLISHABLE };

describe('admin.ts', () => {
  it('migrate creates the ledger (and a second run changes nothing)', async () => {
    await service.migrate({ DATABASE_URL: db.url });
    await service.migrate({ DATABASE_URL: db.url });
    const { rows } = await db.pool.query(
      "SELECT string_agg(tablename, ',' ORDER BY tablename) AS t FROM pg_tables WHERE schemaname = 'public'",
    );
    assert.equal(rows[0].t, 'charges,idempotency_keys,refunds,sandbox_faults,schema_migrations,tokens');
  });

  it('without DATABASE_URL exits 1 naming it', async () => {
    const res = await run('admin.ts', ['migrate'], {}).exit;
    assert.equal(res.code, 1);
    assert.match(res.stderr, /DATABASE_URL/);
  });
});

describe('main.ts', () => {
  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ['without its keys', {}, /PROVIDER_SECRET_KEY is required.*PROVIDER_PUBLISHABLE_KEY is required/],
    ['with a short key', { ...KEYS, PROVIDER_SECRET_KEY: 'sk_short' }, /PROVIDER_SECRET_KEY must be 16-200/],
    ['with one key for both', { ...KEYS, PROVIDER_PUBLISHABLE_KEY: SECRET }, /must differ/],
    [
      'with an error rate above 1',
      { ...KEYS, SANDBOX_ERROR_RATE: '1.5' },
      /SANDBOX_ERROR_RATE must be a number from 0 to 1/,
    ],
  ];
  for (const [name, env, message] of refused) {
    it(`refuses to start ${name}, in one line that shows no key`, async () => {
      const res = await service.refusesToStart(
        { DATABASE_URL: db.url, PORT: String(await freePort()), ...env },
        message,
      );
      assert.ok(!res.stderr.includes(SECRET) && !res.stderr.includes('sk_short'), res.stderr);
    });
  }

  it('serves when ready, exits 0 on SIGTERM, and a restart keeps charges and idempotency records', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'debug', ...KEYS };
    const secret = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const charge = (key: string, token: string) =>
      fetch(`${base}/v1/charges`, {
        method: 'POST',
        headers: { ...secret, 'idempotency-key': key },
        body: JSON.stringify({ amount: 1234, currency: 'EUR', token, metadata: { orderId: 'p-1' } }),
      });

    let server = await service.start(env, { port });
    let first: { status: number; body: string };
    let token: string;
    try {
      const tokenized = await fetch(`${base}/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PUBLISHABLE}`, 'content-type': 'application/json' },
        body: JSON.stringify({ card: { number: CARDS.succeeds, expMonth: 12, expYear: 2034, cvc: '123' } }),
      });
      assert.equal(tokenized.status, 201);
      token = ((await tokenized.json()) as { id: string }).id;
      const res = await charge('order-p-1', token);
      first = { status: res.status, body: await res.text() };
      assert.equal(first.status, 201, first.body);

      const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
        components: { securitySchemes: Record<string, unknown> };
      };
      assert.ok(doc.paths['/v1/charges'] && doc.paths['/v1/refunds'] && doc.paths['/v1/sandbox/faults']);
      assert.ok(doc.components.securitySchemes.secretKey && doc.components.securitySchemes.publishableKey);
      assert.equal((await fetch(`${base}/v1/charges`)).status, 401);

      const exit = await server.stop();
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(exit.stdout, /"service":"payment-provider"/);
      assert.ok(
        !exit.stdout.includes('4242424242424242') && !exit.stdout.includes(SECRET),
        'no card number or key logged',
      );
    } finally {
      server.kill();
    }

    server = await service.start(env, { port });
    try {
      const replay = await charge('order-p-1', token);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(await replay.text(), first.body);
      const listed = (await (await fetch(`${base}/v1/charges?orderId=p-1`, { headers: secret })).json()) as {
        items: Array<{ id: string }>;
      };
      assert.deepEqual(
        listed.items.map((c) => c.id),
        [JSON.parse(first.body).id],
      );
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });
});
