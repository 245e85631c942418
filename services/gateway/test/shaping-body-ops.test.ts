import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBodyOps, formatMinorUnits, toIsoTime, transformJsonBody } from '../src/shaping/body-ops.ts';

describe('formatMinorUnits', () => {
  const cases: [number, string, string][] = [
    [1299, 'EUR', '12.99'],
    [5, 'JPY', '5'],
    [-1, 'EUR', '-0.01'],
    [1005, 'BHD', '1.005'],
    [0, 'EUR', '0.00'],
    [-0, 'USD', '0.00'],
    [7, 'BHD', '0.007'],
    [100, 'USD', '1.00'],
    [-123456, 'JPY', '-123456'],
    [Number.MAX_SAFE_INTEGER, 'EUR', '90071992547409.91'],
    [-Number.MAX_SAFE_INTEGER, 'KWD', '-9007199254740.991'],
  ];
  for (const [minor, currency, expected] of cases) {
    it(`${minor} ${currency} → "${expected}"`, () =>
      assert.equal(formatMinorUnits(minor, currency), expected));
  }
});

describe('compileBodyOps', () => {
  const v2 = compileBodyOps({ money: 'decimal', times: 'iso8601' });

  it('turns money objects into decimal strings at every depth, keeping their other fields and order', () => {
    const input = {
      id: 'p1',
      price: { amountMinor: 1299, currency: 'EUR' },
      variants: [
        { sku: 'a', price: { amountMinor: 5, currency: 'JPY', note: 'sale' } },
        { sku: 'b', price: { amountMinor: -1, currency: 'EUR' } },
        { sku: 'c', price: { amountMinor: 1005, currency: 'BHD' } },
      ],
    };
    const frozen = structuredClone(input);
    const out = v2(input);
    assert.deepEqual(out, {
      id: 'p1',
      price: { amount: '12.99', currency: 'EUR' },
      variants: [
        { sku: 'a', price: { amount: '5', currency: 'JPY', note: 'sale' } },
        { sku: 'b', price: { amount: '-0.01', currency: 'EUR' } },
        { sku: 'c', price: { amount: '1.005', currency: 'BHD' } },
      ],
    });
    assert.deepEqual(input, frozen, 'input unchanged');
    assert.deepEqual(Object.keys((out as { variants: { price: object }[] }).variants[0]!.price), [
      'amount',
      'currency',
      'note',
    ]);
  });

  it('leaves look-alikes alone: non-integer amounts, bad currency codes, missing fields', () => {
    const same = [
      { amountMinor: 12.5, currency: 'EUR' },
      { amountMinor: '1299', currency: 'EUR' },
      { amountMinor: 1299, currency: 'eur' },
      { amountMinor: 1299, currency: 'EURO' },
      { amountMinor: 1299 },
      { currency: 'EUR' },
      { amountMinor: 2 ** 60, currency: 'EUR' },
    ];
    assert.deepEqual(v2(same), same);
  });

  it('writes `...At` fields as ISO-8601 UTC, from strings with offsets or epoch ms', () => {
    const out = v2({
      createdAt: '2024-03-01T10:00:00+01:00',
      updatedAt: 1_700_000_000_000,
      deletedAt: null,
      items: [{ shippedAt: '2024-03-01 09:30:00.123Z', paidAt: '2024-03-01T09:30:00.123456+0000' }],
      expiresAt: 'soon',
      at: '2024-03-01T10:00:00+01:00',
      format: '2024-03-01T10:00:00+01:00',
      seenAt: '2024-03-01',
      localAt: '2024-03-01T10:00:00',
    });
    assert.deepEqual(out, {
      createdAt: '2024-03-01T09:00:00.000Z',
      updatedAt: '2023-11-14T22:13:20.000Z',
      deletedAt: null,
      items: [{ shippedAt: '2024-03-01T09:30:00.123Z', paidAt: '2024-03-01T09:30:00.123Z' }],
      expiresAt: 'soon',
      at: '2024-03-01T10:00:00+01:00',
      format: '2024-03-01T10:00:00+01:00',
      seenAt: '2024-03-01T00:00:00.000Z',
      localAt: '2024-03-01T10:00:00.000Z',
    });
    assert.equal(toIsoTime(Number.NaN), Number.NaN);
    assert.equal(toIsoTime('2024-13-45T99:00:00Z'), '2024-13-45T99:00:00Z');
  });

  it('removes and renames fields at every depth, converting by the services’ names first', () => {
    const fn = compileBodyOps({
      remove: ['internalCost'],
      rename: { createdAt: 'created', price: 'cost' },
      money: 'decimal',
      times: 'iso8601',
    });
    const out = fn([
      {
        internalCost: 1,
        createdAt: 0,
        price: { amountMinor: 100, currency: 'USD' },
        nested: { internalCost: 2, keep: true },
      },
    ]);
    assert.deepEqual(out, [
      {
        created: '1970-01-01T00:00:00.000Z',
        cost: { amount: '1.00', currency: 'USD' },
        nested: { keep: true },
      },
    ]);
  });

  it('keeps a JSON `__proto__` key as data, never as the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = compileBodyOps({ rename: { a: 'b' } })(input) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(out)), { ['__proto__']: { polluted: true }, b: 1 });
  });
});

describe('transformJsonBody', () => {
  const fn = compileBodyOps({ money: 'decimal' });
  const body = Buffer.from(JSON.stringify({ price: { amountMinor: 1299, currency: 'EUR' } }));

  it('transforms JSON and +json bodies', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/problem+json',
    ]) {
      assert.equal(
        transformJsonBody(body, type, fn)?.toString(),
        '{"price":{"amount":"12.99","currency":"EUR"}}',
        type,
      );
    }
  });

  it('leaves non-JSON, empty and unparsable bodies untouched (undefined)', () => {
    assert.equal(transformJsonBody(body, 'text/plain', fn), undefined);
    assert.equal(transformJsonBody(body, 'application/jsonp', fn), undefined);
    assert.equal(transformJsonBody(body, undefined, fn), undefined);
    assert.equal(transformJsonBody(Buffer.alloc(0), 'application/json', fn), undefined);
    assert.equal(transformJsonBody(Buffer.from('{"a":'), 'application/json', fn), undefined);
  });
});
