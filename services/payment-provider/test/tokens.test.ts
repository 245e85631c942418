// Tokenization and token lookups: card checks (422 per reason, nothing stored), what is kept of a
// card (never the number or CVC, in the database or the logs), expiry, single use, the keys, and
// the browser's preflight.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '@shopnow/testkit';
import {
  CARDS,
  EXPIRY,
  ledgerCounts,
  type Provider,
  postCharge,
  publishableAuth,
  SECRET,
  START,
  secretAuth,
  startProvider,
  type TokenBody,
  tokenize,
} from './helpers.ts';

let p: Provider;
before(async () => {
  p = await startProvider();
});
after(() => p?.close());

const create = (
  card: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  headers = publishableAuth,
) => p.app.inject({ method: 'POST', url: '/v1/tokens', headers, payload: { card, ...extra } });

const getToken = (id: string, headers: Record<string, string> = secretAuth) =>
  p.app.inject({ method: 'GET', url: `/v1/tokens/${id}`, headers });

describe('POST /v1/tokens', () => {
  it('returns a token with the card summary, the customer and a 15-minute expiry', async () => {
    const res = await create({ number: CARDS.succeeds, ...EXPIRY, cvc: '123' }, { customer: 'user-1' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const token = res.json() as TokenBody & { createdAt: string };
    assert.match(token.id, /^tok_[0-9a-f]{24}$/);
    assert.deepEqual(token.card, { brand: 'visa', last4: '4242', ...EXPIRY });
    assert.equal(token.customer, 'user-1');
    assert.equal(token.status, 'active');
    assert.equal(token.charge, null);
    assert.equal(token.createdAt, START.toISOString());
    assert.equal(Date.parse(token.expiresAt) - START.getTime(), 15 * 60 * 1000);
  });

  it('accepts the secret key too (a merchant server may tokenize)', async () => {
    const res = await create({ number: CARDS.mastercard, ...EXPIRY, cvc: '123' }, {}, secretAuth);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((res.json() as TokenBody).card.brand, 'mastercard');
    assert.equal((res.json() as TokenBody).customer, null);
  });

  it('knows American Express by its number and wants its four-digit CVC', async () => {
    const token = await tokenize(p, CARDS.amex);
    assert.deepEqual(token.card, { brand: 'amex', last4: '0005', ...EXPIRY });
    const threeDigits = await create({ number: CARDS.amex, ...EXPIRY, cvc: '123' });
    assertProblem(threeDigits, 422, 'provider.invalid_cvc');
  });

  it('keeps neither the number nor the CVC, in the database or in the logs', async () => {
    const before = await ledgerCounts(p.pool);
    await create({ number: '4000 0566 5566 5556', ...EXPIRY, cvc: '987' });
    await create({ number: '4000 0566 5566 5557', ...EXPIRY, cvc: '987' }); // refused: Luhn
    assert.notEqual(await ledgerCounts(p.pool), before);
    const { rows } = await p.pool.query('SELECT row_to_json(t)::text AS row FROM tokens t');
    const dump = rows.map((r) => r.row).join('\n');
    assert.match(dump, /"last4":"5556"/);
    for (const secret of ['4000056655665556', '4000 0566 5566 5556', '400005665566555', '"987"']) {
      assert.ok(!dump.includes(secret), `database holds ${secret}`);
      assert.ok(!p.logText().includes(secret), `logs hold ${secret}`);
    }
    assert.ok(p.logText().length > 0, 'the logs were captured');
  });

  const refused: Array<[string, Record<string, unknown>, string, string]> = [
    ['fails the Luhn check', { number: '4242 4242 4242 4241' }, 'provider.incorrect_number', '/card/number'],
    ['is too short', { number: '4242 4242 42' }, 'provider.incorrect_number', '/card/number'],
    ['has letters', { number: '4242-4242-4242-424x' }, 'provider.incorrect_number', '/card/number'],
    ['has a month 13', { expMonth: 13 }, 'provider.invalid_expiry_month', '/card/expMonth'],
    ['has a month 0', { expMonth: 0 }, 'provider.invalid_expiry_month', '/card/expMonth'],
    ['expired last month', { expMonth: 5, expYear: 2030 }, 'provider.expired_card', '/card/expYear'],
    ['expired years ago', { expMonth: 12, expYear: 2029 }, 'provider.expired_card', '/card/expYear'],
    ['is two-digit year', { expYear: 34 }, 'provider.expired_card', '/card/expYear'],
    ['expires in 50 years', { expYear: 2080 }, 'provider.invalid_expiry_year', '/card/expYear'],
    ['has a 2-digit CVC', { cvc: '12' }, 'provider.invalid_cvc', '/card/cvc'],
    ['has a letter in the CVC', { cvc: '12a' }, 'provider.invalid_cvc', '/card/cvc'],
  ];
  for (const [name, change, code, field] of refused) {
    it(`refuses a card that ${name}: 422 ${code}, nothing stored`, async () => {
      const before = await ledgerCounts(p.pool);
      const res = await create({ number: CARDS.succeeds, ...EXPIRY, cvc: '123', ...change });
      const problem = assertProblem(res, 422, code);
      assert.equal(problem.errors?.[0]?.field, field);
      assert.equal(await ledgerCounts(p.pool), before);
    });
  }

  it('lists every card problem at once, the code naming the first', async () => {
    const res = await create({ number: '1234', expMonth: 1, expYear: 2020, cvc: '1' });
    const problem = assertProblem(res, 422, 'provider.incorrect_number');
    assert.deepEqual(
      problem.errors?.map((e) => e.field),
      ['/card/number', '/card/expYear', '/card/cvc'],
    );
  });

  it('is good through the last day of the expiry month', async () => {
    const res = await create({ number: CARDS.succeeds, expMonth: 6, expYear: 2030, cvc: '123' });
    assert.equal(res.statusCode, 201, res.body);
  });

  const malformed: Array<[string, unknown]> = [
    ['no card', {}],
    ['a number as a number', { card: { number: 4242424242424242, ...EXPIRY, cvc: '123' } }],
    ['a missing CVC', { card: { number: CARDS.succeeds, ...EXPIRY } }],
    ['an unknown field', { card: { number: CARDS.succeeds, ...EXPIRY, cvc: '123', name: 'X' } }],
    ['a month as text', { card: { number: CARDS.succeeds, expMonth: '12', expYear: 2034, cvc: '123' } }],
    ['an empty customer', { card: { number: CARDS.succeeds, ...EXPIRY, cvc: '123' }, customer: '' }],
  ];
  for (const [name, payload] of malformed) {
    it(`refuses ${name}: 400, nothing stored`, async () => {
      const before = await ledgerCounts(p.pool);
      const res = await p.app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: publishableAuth,
        payload: payload as object,
      });
      assertProblem(res, 400, 'validation_failed');
      assert.equal(await ledgerCounts(p.pool), before);
    });
  }

  it('answers malformed JSON with a 400 that does not echo the card number', async () => {
    const res = await p.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { ...publishableAuth, 'content-type': 'application/json' },
      payload: '{"card":{"number":"4242424242424242","cvc":"123",}',
    });
    assertProblem(res, 400, 'invalid_json');
    assert.ok(!res.body.includes('4242424242424242'), res.body);
    assert.ok(!p.logText().includes('4242424242424242'));
  });

  it('answers the browser preflight without a key', async () => {
    const res = await p.app.inject({
      method: 'OPTIONS',
      url: '/v1/tokens',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.match(String(res.headers['access-control-allow-headers']), /authorization/);
  });
});

describe('API keys', () => {
  const card = { number: CARDS.succeeds, ...EXPIRY, cvc: '123' };
  it('tokenizing needs a key: none, a wrong one or a malformed header is 401', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer pk_test_wrongwrongwrong' },
      { authorization: PUBLISHABLE_NO_BEARER },
    ]) {
      const res = await create(card, {}, headers as typeof publishableAuth);
      assertProblem(res, 401, 'provider.unauthorized');
      assert.equal(res.headers['access-control-allow-origin'], '*', 'the page can read the refusal');
    }
  });

  it('the publishable key cannot read tokens, charge, refund, list or change faults', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    const calls = [
      { method: 'GET', url: `/v1/tokens/${token.id}` },
      { method: 'POST', url: '/v1/charges', payload: { amount: 100, currency: 'EUR', token: token.id } },
      { method: 'POST', url: '/v1/refunds', payload: { charge: `ch_${'0'.repeat(24)}` } },
      { method: 'GET', url: '/v1/charges' },
      { method: 'GET', url: `/v1/charges/ch_${'0'.repeat(24)}` },
      { method: 'GET', url: '/v1/sandbox/faults' },
      { method: 'PUT', url: '/v1/sandbox/faults', payload: { latencyMs: 0, errorRate: 0, down: true } },
    ] as const;
    const before = await ledgerCounts(p.pool);
    for (const call of calls) {
      for (const headers of [publishableAuth, {}]) {
        const res = await p.app.inject({ ...call, headers: { ...headers, 'idempotency-key': 'k' } });
        assertProblem(res, 401, 'provider.unauthorized');
      }
    }
    assert.equal(await ledgerCounts(p.pool), before);
    assert.equal((await getToken(token.id)).json().status, 'active');
  });
});

const PUBLISHABLE_NO_BEARER = `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`;

describe('GET /v1/tokens/:id', () => {
  it('active, then used once a charge succeeds, naming the charge', async () => {
    const token = await tokenize(p, CARDS.succeeds, { customer: 'user-2' });
    assert.equal((await getToken(token.id)).json().status, 'active');
    const charge = await postCharge(p, { amount: 500, currency: 'EUR', token: token.id, customer: 'user-2' });
    assert.equal(charge.statusCode, 201, charge.body);
    const used = (await getToken(token.id)).json() as TokenBody & { usedAt: string };
    assert.equal(used.status, 'used');
    assert.equal(used.charge, charge.json().id);
    assert.equal(used.usedAt, p.now().toISOString());
  });

  it('stays active after a decline (the card may be retried)', async () => {
    const token = await tokenize(p, CARDS.declined);
    const charge = await postCharge(p, { amount: 500, currency: 'EUR', token: token.id });
    assert.equal(charge.statusCode, 402);
    assert.equal((await getToken(token.id)).json().status, 'active');
  });

  it('expired after TOKEN_TTL_SECONDS', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    p.advance(15 * 60 * 1000 - 1);
    assert.equal((await getToken(token.id)).json().status, 'active');
    p.advance(1);
    assert.equal((await getToken(token.id)).json().status, 'expired');
  });

  it('an unknown token is 404, a malformed id 400', async () => {
    assertProblem(await getToken(`tok_${'a'.repeat(24)}`), 404, 'provider.token_not_found');
    assertProblem(await getToken('tok_nope'), 400, 'validation_failed');
  });
});
