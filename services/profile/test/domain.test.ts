// The pure rules in src/domain, without HTTP or SQL: the bundled country list, postal codes,
// phone numbers, locales, currencies, preferences and address preparation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeAddress, prepareAddress } from '../src/domain/address.ts';
import { COUNTRY_CODES, isCountryCode } from '../src/domain/countries.ts';
import { isSupportedCurrency, SUPPORTED_CURRENCIES } from '../src/domain/currencies.ts';
import { canonicalLocale } from '../src/domain/locale.ts';
import { normalisePhone } from '../src/domain/phone.ts';
import { isPostalCodeFor, normalisePostalCode, postalCodeRequired } from '../src/domain/postal-codes.ts';
import { changePreferences, DEFAULT_PREFERENCES, preparePreferences } from '../src/domain/preferences.ts';

describe('countries', () => {
  it('holds the 249 ISO 3166-1 alpha-2 codes, unique and sorted', () => {
    assert.equal(COUNTRY_CODES.length, 249);
    assert.equal(new Set(COUNTRY_CODES).size, 249);
    assert.deepEqual([...COUNTRY_CODES].sort(), COUNTRY_CODES);
  });

  it('every code is a region ICU knows by name (catches a typo in the list)', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (const code of COUNTRY_CODES) assert.ok(names.of(code), `${code} has a name`);
  });

  it('refuses reserved and made-up codes', () => {
    for (const code of ['XX', 'UK', 'EU', 'ZZ', 'gb', 'GBR', ''])
      assert.equal(isCountryCode(code), false, code);
    for (const code of ['GB', 'US', 'DE', 'FR', 'NL', 'CA', 'SS', 'AX']) {
      assert.equal(isCountryCode(code), true, code);
    }
  });
});

describe('postal codes', () => {
  it('normalises case and whitespace', () => {
    assert.equal(normalisePostalCode('  sw1a   1aa '), 'SW1A 1AA');
  });

  it('has precise patterns for US, GB, DE, FR, NL, CA (and requires a code there)', () => {
    for (const country of ['US', 'GB', 'DE', 'FR', 'NL', 'CA'])
      assert.ok(postalCodeRequired(country), country);
    assert.equal(postalCodeRequired('JP'), false);
    assert.ok(isPostalCodeFor('GB', 'GIR 0AA'));
    assert.ok(isPostalCodeFor('CA', 'H0H 0H0'));
    assert.equal(isPostalCodeFor('CA', 'W1A 0B1'), false, 'W never starts a Canadian code');
    assert.equal(isPostalCodeFor('US', '12345-'), false);
    assert.equal(isPostalCodeFor('DE', '123456'), false);
  });

  it('accepts a generic shape elsewhere, up to 20 characters', () => {
    assert.ok(isPostalCodeFor('JP', '100-0001'));
    assert.ok(isPostalCodeFor('IE', 'D02 X285'));
    assert.equal(isPostalCodeFor('JP', ' 100'), false);
    assert.equal(isPostalCodeFor('JP', 'A'.repeat(21)), false);
    assert.equal(isPostalCodeFor('JP', ''), false);
  });
});

describe('phone numbers', () => {
  it('keeps + and digits, dropping separators', () => {
    assert.equal(normalisePhone('+44 (20) 7946-0000'), '+442079460000');
    assert.equal(normalisePhone('+1.415.555.0100'), '+14155550100');
  });

  it('refuses numbers without a country code, too short or too long', () => {
    for (const bad of [
      '02079460000',
      '+0 20 7946',
      '+12345',
      `+1${'2'.repeat(15)}`,
      '+44 20 7946 000a',
      '',
    ]) {
      assert.equal(normalisePhone(bad), undefined, bad);
    }
  });
});

describe('locales and currencies', () => {
  it('canonicalises accepted tags', () => {
    assert.equal(canonicalLocale('en-gb'), 'en-GB');
    assert.equal(canonicalLocale('ZH-hant-tw'), 'zh-Hant-TW');
    assert.equal(canonicalLocale('es-419'), 'es-419');
    assert.equal(canonicalLocale('de-CH-1996'), 'de-CH-1996');
  });

  it('refuses what is not a plain language tag', () => {
    for (const bad of [
      'english',
      'en_GB',
      'en-GB-x-private',
      'en-u-ca-buddhist',
      '',
      'e',
      'en-GB-oxendict-oxendict',
    ]) {
      assert.equal(canonicalLocale(bad), undefined, bad);
    }
  });

  it('knows a fixed list of currencies, EUR first', () => {
    assert.equal(SUPPORTED_CURRENCIES[0], 'EUR');
    assert.ok(isSupportedCurrency('GBP'));
    assert.equal(isSupportedCurrency('XYZ'), false);
    assert.equal(isSupportedCurrency('eur'), false);
  });
});

describe('preferences', () => {
  it('defaults: no marketing, every channel, en-GB, EUR', () => {
    assert.deepEqual(DEFAULT_PREFERENCES, {
      marketingOptIn: false,
      channels: ['email', 'in_app'],
      locale: 'en-GB',
      currency: 'EUR',
    });
  });

  it('orders and de-duplicates channels, names every broken field', () => {
    const ok = preparePreferences({
      marketingOptIn: true,
      channels: ['in_app', 'email', 'in_app'],
      locale: 'fr-fr',
      currency: 'EUR',
    });
    assert.deepEqual(ok, {
      ok: true,
      value: { marketingOptIn: true, channels: ['email', 'in_app'], locale: 'fr-FR', currency: 'EUR' },
    });
    const bad = preparePreferences({ marketingOptIn: true, channels: ['sms'], locale: 'x', currency: 'ABC' });
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.problems.map((p) => p.field), ['/channels/0', '/locale', '/currency']);
  });

  it('a change keeps the fields it does not name', () => {
    const changed = changePreferences({ ...DEFAULT_PREFERENCES, channels: ['email'] }, { currency: 'USD' });
    assert.deepEqual(changed, {
      ok: true,
      value: { ...DEFAULT_PREFERENCES, channels: ['email'], currency: 'USD' },
    });
  });
});

describe('addresses', () => {
  const input = {
    recipientName: ' Ada ',
    line1: '1 Main St',
    city: 'Springfield',
    postalCode: '12345',
    country: 'us',
    label: '',
    phone: '+1 415 555 0100',
  };

  it('trims, upper-cases the country, stores empty optional text as null', () => {
    assert.deepEqual(prepareAddress(input), {
      ok: true,
      value: {
        label: null,
        recipientName: 'Ada',
        line1: '1 Main St',
        line2: null,
        city: 'Springfield',
        region: null,
        postalCode: '12345',
        country: 'US',
        phone: '+14155550100',
      },
    });
  });

  it('checks lengths itself, whatever the HTTP schema does', () => {
    const result = prepareAddress({
      ...input,
      label: 'x'.repeat(51),
      city: 'c'.repeat(101),
      line2: 'l'.repeat(201),
    });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.problems.map((p) => p.field).sort(), ['/city', '/label', '/line2']);
  });

  it('a change is checked as a whole: a new country re-checks the old postal code', () => {
    const current = prepareAddress(input);
    assert.ok(current.ok);
    const moved = changeAddress(current.value, { country: 'CA' });
    assert.equal(moved.ok, false);
    assert.deepEqual(!moved.ok && moved.problems, [
      { field: '/postalCode', message: 'is not a valid postal code for CA' },
    ]);
    const cleared = changeAddress(current.value, { phone: null, label: 'Home' });
    assert.deepEqual(cleared.ok && [cleared.value.phone, cleared.value.label], [null, 'Home']);
  });
});
