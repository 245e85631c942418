// Fault injection: latency, an error rate and down, set at run time (seen by every replica, as
// it lives in the database) or by the environment at start; the controls themselves never fail.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { assertProblem } from '@shopnow/testkit';
import {
  CARDS,
  EXPIRY,
  ledgerCounts,
  type Provider,
  postCharge,
  publishableAuth,
  secretAuth,
  startProvider,
  tokenize,
} from './helpers.ts';

let p: Provider;
let replica: Provider;
before(async () => {
  p = await startProvider();
  replica = await startProvider({ db: p.db });
});
after(async () => {
  await replica?.close();
  await p?.close();
});
afterEach(async () => {
  await p.app.inject({ method: 'DELETE', url: '/v1/sandbox/faults', headers: secretAuth });
  p.draws.length = 0;
  replica.draws.length = 0;
});

const setFaults = (app: Provider, faults: Record<string, unknown>) =>
  app.app.inject({ method: 'PUT', url: '/v1/sandbox/faults', headers: secretAuth, payload: faults });
const getFaults = (app: Provider) =>
  app.app.inject({ method: 'GET', url: '/v1/sandbox/faults', headers: secretAuth });
const tokenCall = (app: Provider) =>
  app.app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: publishableAuth,
    payload: { card: { number: CARDS.succeeds, ...EXPIRY, cvc: '123' } },
  });

describe('the controls', () => {
  it('start from the environment, take a PUT for every replica, and go back on DELETE', async () => {
    assert.deepEqual((await getFaults(p)).json(), {
      latencyMs: 0,
      errorRate: 0,
      down: false,
      source: 'environment',
    });
    const set = await setFaults(p, { latencyMs: 5, errorRate: 0.25, down: false });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual((await getFaults(replica)).json(), {
      latencyMs: 5,
      errorRate: 0.25,
      down: false,
      source: 'runtime',
    });
    const reset = await replica.app.inject({
      method: 'DELETE',
      url: '/v1/sandbox/faults',
      headers: secretAuth,
    });
    assert.equal(reset.json().source, 'environment');
    assert.equal((await getFaults(p)).json().errorRate, 0);
  });

  it('refuse bad settings with 400 and keep the old ones', async () => {
    await setFaults(p, { latencyMs: 1, errorRate: 0.5, down: false });
    for (const bad of [
      { latencyMs: -1, errorRate: 0, down: false },
      { latencyMs: 60_001, errorRate: 0, down: false },
      { latencyMs: 0, errorRate: 1.5, down: false },
      { latencyMs: 0, errorRate: -0.1, down: false },
      { latencyMs: 0, errorRate: 0, down: 'yes' },
      { latencyMs: 0, errorRate: 0 },
      { latencyMs: 0, errorRate: 0, down: false, extra: 1 },
    ]) {
      assertProblem(await setFaults(p, bad), 400, 'validation_failed');
    }
    assert.deepEqual((await getFaults(p)).json(), {
      latencyMs: 1,
      errorRate: 0.5,
      down: false,
      source: 'runtime',
    });
  });
});

describe('down', () => {
  it('every /v1 call on every replica answers 503 with Retry-After, and nothing is stored; the controls still work', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    await setFaults(p, { latencyMs: 0, errorRate: 0, down: true });
    const before = await ledgerCounts(p.pool);
    for (const app of [p, replica]) {
      const calls = [
        tokenCall(app),
        app.app.inject({ method: 'GET', url: `/v1/tokens/${token.id}`, headers: secretAuth }),
        postCharge(app, { amount: 100, currency: 'EUR', token: token.id }),
        app.app.inject({ method: 'GET', url: '/v1/charges', headers: secretAuth }),
        app.app.inject({
          method: 'POST',
          url: '/v1/refunds',
          headers: { ...secretAuth, 'idempotency-key': 'k' },
          payload: {},
        }),
        // Before the key check too: an outage answers everyone alike.
        app.app.inject({ method: 'GET', url: '/v1/charges' }),
      ];
      for (const res of await Promise.all(calls)) {
        const problem = assertProblem(res, 503, 'provider.unavailable');
        assert.equal(problem.fault, 'down');
        assert.equal(res.headers['retry-after'], '1');
      }
    }
    assert.equal(await ledgerCounts(p.pool), before);
    assert.equal(
      (await p.app.inject({ method: 'GET', url: '/health/ready' })).statusCode,
      200,
      'the process is healthy',
    );
    await setFaults(replica, { latencyMs: 0, errorRate: 0, down: false });
    const charged = await postCharge(p, { amount: 100, currency: 'EUR', token: token.id });
    assert.equal(charged.statusCode, 201, charged.body);
  });
});

describe('error rate', () => {
  it('1: every call is 503 before anything is done; 0: none', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    await setFaults(p, { latencyMs: 0, errorRate: 1, down: false });
    const before = await ledgerCounts(p.pool);
    for (let i = 0; i < 5; i++) {
      const res = await postCharge(replica, { amount: 100, currency: 'EUR', token: token.id }, 'same-key');
      assert.equal(assertProblem(res, 503, 'provider.unavailable').fault, 'error_rate');
    }
    assert.equal(await ledgerCounts(p.pool), before, 'no charge and no idempotency record');
    await setFaults(p, { latencyMs: 0, errorRate: 0, down: false });
    const res = await postCharge(replica, { amount: 100, currency: 'EUR', token: token.id }, 'same-key');
    assert.equal(res.statusCode, 201, 'the key was never spent');
  });

  it('a fraction fails that share of calls, by the draws', async () => {
    await setFaults(p, { latencyMs: 0, errorRate: 0.3, down: false });
    p.draws.push(0.1, 0.29, 0.3, 0.9, 0.0);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await tokenCall(p)).statusCode);
    assert.deepEqual(statuses, [503, 503, 201, 201, 503]);
  });

  it('with real draws, about that share (400 calls at 0.5)', async () => {
    const real = await startProvider({ db: p.db, random: Math.random });
    try {
      await setFaults(p, { latencyMs: 0, errorRate: 0.5, down: false });
      let failed = 0;
      for (let i = 0; i < 400; i++) {
        const res = await real.app.inject({ method: 'GET', url: '/v1/charges?limit=1', headers: secretAuth });
        if (res.statusCode === 503) failed++;
        else assert.equal(res.statusCode, 200);
      }
      // Binomial(400, 0.5): outside 120..280 has a probability below 1e-20.
      assert.ok(failed > 120 && failed < 280, `${failed} of 400 failed`);
    } finally {
      await real.close();
    }
  });
});

describe('latency', () => {
  it('delays every /v1 call but the controls', async () => {
    await setFaults(p, { latencyMs: 300, errorRate: 0, down: false });
    let started = performance.now();
    assert.equal((await tokenCall(replica)).statusCode, 201);
    assert.ok(performance.now() - started >= 295, 'tokenize waited');
    started = performance.now();
    assert.equal((await getFaults(p)).statusCode, 200);
    assert.ok(performance.now() - started < 250, 'the controls did not');
  });
});

describe('the environment at start', () => {
  it('SANDBOX_LATENCY_MS and SANDBOX_ERROR_RATE apply until a PUT overrides them', async () => {
    const fromEnv = await startProvider({ config: { SANDBOX_LATENCY_MS: 200, SANDBOX_ERROR_RATE: 1 } });
    try {
      assert.deepEqual((await getFaults(fromEnv)).json(), {
        latencyMs: 200,
        errorRate: 1,
        down: false,
        source: 'environment',
      });
      const started = performance.now();
      assertProblem(await tokenCall(fromEnv), 503, 'provider.unavailable');
      assert.ok(performance.now() - started >= 195);
      await setFaults(fromEnv, { latencyMs: 0, errorRate: 0, down: false });
      assert.equal((await tokenCall(fromEnv)).statusCode, 201);
    } finally {
      await fromEnv.close();
    }
  });
});
