import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currencyDigits, formatMoney } from '@shopnow/contracts';

describe('money for display', () => {
  it('uses each currency’s own minor-unit digits', () => {
    assert.equal(currencyDigits('EUR'), 2);
    assert.equal(currencyDigits('JPY'), 0);
    assert.equal(currencyDigits('BHD'), 3);
    assert.equal(formatMoney({ amountMinor: 12999, currency: 'USD' }, 'en-US'), '$129.99');
    assert.equal(formatMoney({ amountMinor: 500, currency: 'JPY' }, 'en-US'), '¥500');
    assert.equal(formatMoney({ amountMinor: 1005, currency: 'BHD' }, 'en-US'), 'BHD\u00a01.005');
  });

  it('formats for the reader’s locale, each locale with its own formatter', () => {
    const money = { amountMinor: 123456, currency: 'EUR' };
    assert.equal(formatMoney(money, 'en-GB'), '€1,234.56');
    assert.equal(formatMoney(money, 'de-DE'), '1.234,56\u00a0€');
    // Asked again after another locale: the first locale's answer, not the last one's formatter.
    assert.equal(formatMoney(money, 'en-GB'), '€1,234.56');
  });

  it('refuses a malformed currency as Intl does, and caches nothing for it', () => {
    assert.throws(() => formatMoney({ amountMinor: 1, currency: 'EURO' }, 'en'), RangeError);
    assert.throws(() => currencyDigits('12'), RangeError);
  });
});
