// The address book on real Postgres: create (201 + Location), read, list, change, delete; the
// first address is both defaults; defaults move in one transaction and stay unique; deleting a
// default leaves none; at most 20 addresses, even under concurrent creates; per-country postal
// codes, the country list and the phone pattern, each refusal naming its field and changing nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  addAddress,
  assertProblem,
  asUser,
  type ProfileFixture,
  snapshot,
  startProfile,
  validAddress,
} from './helpers.ts';

let f: ProfileFixture;
before(async () => {
  f = await startProfile();
});
after(() => f?.close());

async function create(userId: string, payload: unknown, headers: Record<string, string> = {}) {
  return f.app.inject({
    method: 'POST',
    url: '/profiles/me/addresses',
    headers: { ...(await asUser(f, userId)), ...headers },
    payload: payload as object,
  });
}

async function request(
  userId: string,
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST',
  path: string,
  payload?: object,
) {
  return f.app.inject({
    method,
    url: `/profiles/me/addresses${path}`,
    headers: await asUser(f, userId),
    ...(payload === undefined ? {} : { payload }),
  });
}

async function defaults(userId: string): Promise<{ shipping: string[]; billing: string[] }> {
  const { rows } = await f.pool.query(
    `select id, is_default_shipping, is_default_billing from addresses where user_id = $1`,
    [userId],
  );
  return {
    shipping: rows.filter((r) => r.is_default_shipping).map((r) => r.id),
    billing: rows.filter((r) => r.is_default_billing).map((r) => r.id),
  };
}

describe('addresses', () => {
  it('create → 201 with Location; read it, list it, change it, delete it', async () => {
    const userId = randomUUID();
    const res = await create(userId, validAddress({ line2: 'Flat 1', region: 'Greater London' }));
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.equal(res.headers.location, `/profiles/${userId}/addresses/${created.id}`);
    assert.deepEqual(
      { ...created, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        userId,
        label: 'Home',
        recipientName: 'Ada Lovelace',
        line1: '10 Downing Street',
        line2: 'Flat 1',
        city: 'London',
        region: 'Greater London',
        postalCode: 'SW1A 2AA',
        country: 'GB',
        phone: '+442079460000',
        isDefaultShipping: true,
        isDefaultBilling: true,
        createdAt: undefined,
        updatedAt: undefined,
      },
    );

    const one = await f.app.inject({ url: String(res.headers.location), headers: await asUser(f, userId) });
    assert.deepEqual(one.json(), created);
    const list = await request(userId, 'GET', '');
    assert.deepEqual(list.json(), { items: [created] });

    const changed = await request(userId, 'PATCH', `/${created.id}`, {
      line2: null,
      phone: null,
      city: ' Westminster ',
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(
      [changed.json().line2, changed.json().phone, changed.json().city, changed.json().postalCode],
      [null, null, 'Westminster', 'SW1A 2AA'],
    );
    assert.ok(changed.json().updatedAt >= created.updatedAt);

    const deleted = await request(userId, 'DELETE', `/${created.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
    assertProblem(await request(userId, 'GET', `/${created.id}`), 404, 'profile.not_found');
    assertProblem(await request(userId, 'DELETE', `/${created.id}`), 404, 'profile.not_found');
    assertProblem(await request(userId, 'PATCH', `/${created.id}`, { city: 'X' }), 404, 'profile.not_found');
    assert.deepEqual((await request(userId, 'GET', '')).json(), { items: [] });
  });

  it('the first address is default shipping and billing; later ones are not', async () => {
    const userId = randomUUID();
    const first = await addAddress(f, userId);
    const second = await addAddress(f, userId, { label: 'Work' });
    assert.deepEqual([first.isDefaultShipping, first.isDefaultBilling], [true, true]);
    assert.deepEqual([second.isDefaultShipping, second.isDefaultBilling], [false, false]);
    assert.deepEqual(await defaults(userId), { shipping: [first.id], billing: [first.id] });
  });

  it('default-shipping and default-billing move the flag, one default of each kind at a time', async () => {
    const userId = randomUUID();
    const first = await addAddress(f, userId);
    const second = await addAddress(f, userId, { label: 'Work' });
    const moved = await request(userId, 'POST', `/${second.id}/default-shipping`);
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().isDefaultShipping, true);
    assert.deepEqual(await defaults(userId), { shipping: [second.id], billing: [first.id] });

    const billing = await request(userId, 'POST', `/${second.id}/default-billing`);
    assert.equal(billing.statusCode, 200, billing.body);
    assert.deepEqual(await defaults(userId), { shipping: [second.id], billing: [second.id] });

    const again = await request(userId, 'POST', `/${second.id}/default-billing`);
    assert.equal(again.statusCode, 200, 'making the default the default again is fine');
    const old = await request(userId, 'GET', `/${first.id}`);
    assert.deepEqual([old.json().isDefaultShipping, old.json().isDefaultBilling], [false, false]);

    // Concurrent moves still leave exactly one default (the unique index and the lock hold).
    const results = await Promise.all(
      [first.id, second.id, first.id, second.id].map((id) =>
        request(userId, 'POST', `/${id}/default-shipping`),
      ),
    );
    for (const res of results) assert.equal(res.statusCode, 200, res.body);
    assert.equal((await defaults(userId)).shipping.length, 1);
  });

  it("moving a default to an unknown or another user's address is a 404 and changes nothing", async () => {
    const userId = randomUUID();
    await addAddress(f, userId);
    const theirs = await addAddress(f, randomUUID());
    const before = await snapshot(f.pool);
    assertProblem(await request(userId, 'POST', `/${theirs.id}/default-shipping`), 404, 'profile.not_found');
    assertProblem(
      await request(userId, 'POST', `/${randomUUID()}/default-billing`),
      404,
      'profile.not_found',
    );
    assertProblem(await request(userId, 'GET', `/${theirs.id}`), 404, 'profile.not_found');
    assertProblem(await request(userId, 'PATCH', `/${theirs.id}`, { city: 'X' }), 404, 'profile.not_found');
    assertProblem(await request(userId, 'DELETE', `/${theirs.id}`), 404, 'profile.not_found');
    assert.equal(await snapshot(f.pool), before);
  });

  it('deleting the default address leaves no default (nothing is promoted)', async () => {
    const userId = randomUUID();
    const first = await addAddress(f, userId);
    await addAddress(f, userId, { label: 'Work' });
    assert.equal((await request(userId, 'DELETE', `/${first.id}`)).statusCode, 204);
    assert.deepEqual(await defaults(userId), { shipping: [], billing: [] });
    const third = await addAddress(f, userId, { label: 'Holiday' });
    assert.equal(third.isDefaultShipping, false, 'only the very first address of the book becomes default');
  });

  it('at most 20 addresses: the 21st is a 409 and stores nothing', async () => {
    const userId = randomUUID();
    for (let i = 0; i < 20; i++) await addAddress(f, userId, { label: `Address ${i}` });
    const before = await snapshot(f.pool);
    assertProblem(await create(userId, validAddress()), 409, 'profile.address_limit');
    assert.equal(await snapshot(f.pool), before);
    assert.equal((await request(userId, 'GET', '')).json().items.length, 20);
  });

  it('the limit holds under concurrent creates', async () => {
    const userId = randomUUID();
    for (let i = 0; i < 17; i++) await addAddress(f, userId, { label: `Address ${i}` });
    const results = await Promise.all(Array.from({ length: 6 }, () => create(userId, validAddress())));
    const statuses = results.map((res) => res.statusCode).sort();
    assert.deepEqual(statuses, [201, 201, 201, 409, 409, 409]);
    assert.equal((await request(userId, 'GET', '')).json().items.length, 20);
  });

  it('a repeated create with one Idempotency-Key stores one address', async () => {
    const userId = randomUUID();
    const key = { 'idempotency-key': `create-${randomUUID()}` };
    const first = await create(userId, validAddress(), key);
    const repeat = await create(userId, validAddress(), key);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(repeat.statusCode, 201, repeat.body);
    assert.equal(repeat.headers['idempotent-replayed'], 'true');
    assert.equal(repeat.json().id, first.json().id);
    assert.equal((await request(userId, 'GET', '')).json().items.length, 1);
    assertProblem(
      await create(userId, validAddress({ city: 'Leeds' }), key),
      422,
      'idempotency_key_mismatch',
    );
  });

  describe('postal codes per country', () => {
    const cases: Array<[string, string, boolean, string?]> = [
      ['US', '94105', true],
      ['US', '94105-1234', true],
      ['US', '9410', false],
      ['US', 'ABCDE', false],
      ['GB', 'sw1a 1aa', true, 'SW1A 1AA'],
      ['GB', 'M1 1AE', true],
      ['GB', 'EC1A1BB', true],
      ['GB', '12345', false],
      ['DE', '10115', true],
      ['DE', '1011', false],
      ['FR', '75008', true],
      ['FR', '7500A', false],
      ['NL', '1012 ab', true, '1012 AB'],
      ['NL', '1012AB', true],
      ['NL', '0123 AB', false],
      ['CA', 'k1a 0b1', true, 'K1A 0B1'],
      ['CA', 'D1A 0B1', false], // D never appears
      ['CA', '12345', false],
      ['JP', '100-0001', true], // generic shape
      ['BR', '01310-100', true],
      ['JP', '100--0001', false],
      ['JP', '#100', false],
    ];
    for (const [country, postalCode, ok, stored] of cases) {
      it(`${country} ${postalCode} is ${ok ? 'accepted' : 'refused'}`, async () => {
        const userId = randomUUID();
        const res = await create(userId, validAddress({ country, postalCode }));
        if (ok) {
          assert.equal(res.statusCode, 201, res.body);
          assert.equal(res.json().postalCode, stored ?? postalCode);
        } else {
          const problem = assertProblem(res, 422, 'profile.invalid_field');
          assert.deepEqual(problem.errors?.[0]?.field, '/postalCode');
          assert.match(problem.errors?.[0]?.message ?? '', new RegExp(country));
        }
      });
    }

    it('a postal code is required where the country has a pattern, optional elsewhere', async () => {
      const res = await create(randomUUID(), validAddress({ country: 'US', postalCode: undefined }));
      const problem = assertProblem(res, 422, 'profile.invalid_field');
      assert.deepEqual(problem.errors, [{ in: 'body', field: '/postalCode', message: 'is required for US' }]);
      const hk = await create(
        randomUUID(),
        validAddress({ country: 'HK', postalCode: null, city: 'Hong Kong' }),
      );
      assert.equal(hk.statusCode, 201, hk.body);
      assert.equal(hk.json().postalCode, null);
    });

    it('changing only the country re-checks the stored postal code, and changes nothing when it fails', async () => {
      const userId = randomUUID();
      const address = await addAddress(f, userId);
      const before = await snapshot(f.pool);
      const res = await request(userId, 'PATCH', `/${address.id}`, { country: 'DE' });
      const problem = assertProblem(res, 422, 'profile.invalid_field');
      assert.equal(problem.errors?.[0]?.field, '/postalCode');
      assert.equal(await snapshot(f.pool), before);
      const both = await request(userId, 'PATCH', `/${address.id}`, { country: 'de', postalCode: '10115' });
      assert.equal(both.statusCode, 200, both.body);
      assert.deepEqual([both.json().country, both.json().postalCode], ['DE', '10115']);
    });
  });

  it('country, phone and blank or oversized text are refused, naming the field; nothing is stored', async () => {
    const userId = randomUUID();
    const before = await snapshot(f.pool);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ country: 'XX' }, 422, '/country'],
      [{ country: 'GBR' }, 400, '/country'],
      [{ phone: '020 7946 0000' }, 422, '/phone'], // no country code
      [{ phone: '+0 1234567' }, 422, '/phone'],
      [{ phone: '+12' }, 422, '/phone'],
      [{ recipientName: '   ' }, 422, '/recipientName'],
      [{ recipientName: '' }, 400, '/recipientName'],
      [{ label: 'x'.repeat(51) }, 400, '/label'],
      [{ recipientName: 'x'.repeat(201) }, 400, '/recipientName'],
      [{ line1: 'x'.repeat(201) }, 400, '/line1'],
      [{ line2: 'x'.repeat(201) }, 400, '/line2'],
      [{ city: 'x'.repeat(101) }, 400, '/city'],
      [{ postalCode: '1'.repeat(21) }, 400, '/postalCode'],
      [{ city: 'Lon\u0000don' }, 400, '/city'],
      [{ isDefaultShipping: true }, 400, '/isDefaultShipping'],
      [{ country: undefined }, 400, '/country'],
    ];
    for (const [overrides, status, field] of cases) {
      const res = await create(userId, validAddress(overrides));
      const problem = assertProblem(res, status);
      assert.ok(
        problem.errors?.some((e) => e.field === field),
        `${JSON.stringify(overrides)} names ${field}: ${res.body}`,
      );
    }
    assert.equal(await snapshot(f.pool), before);
  });

  it('a label of exactly 50 and a name of exactly 200 characters are fine', async () => {
    const res = await create(
      randomUUID(),
      validAddress({ label: 'l'.repeat(50), recipientName: 'n'.repeat(200) }),
    );
    assert.equal(res.statusCode, 201, res.body);
  });
});
