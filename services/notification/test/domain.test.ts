// Pure rules: escaping, where a message goes, which language, money and order numbers, SMTP
// failures, backoff, the token bucket, and every template rendered in every language it has
// with hostile values escaped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoney } from '@shopnow/contracts';
import { planDelivery } from '../src/domain/delivery-plan.ts';
import { escapeHtml, html } from '../src/domain/escape.ts';
import { orderNumber } from '../src/domain/format.ts';
import { formattingLocale, templateLanguage } from '../src/domain/locale.ts';
import { dedupeKey, KINDS, type Kind } from '../src/domain/message-kinds.ts';
import { classifySmtpFailure, retryDelayMs } from '../src/domain/retry.ts';
import { TokenBucket } from '../src/domain/token-bucket.ts';
import { languagesOf, renderMessage } from '../src/templates/index.ts';
import { linksFor } from '../src/templates/links.ts';
import { ADDRESS, orderConfirmed } from './helpers.ts';

describe('escaping', () => {
  it('escapes every interpolated value, keeps fragments made by html', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const evil = '<script>alert(1)</script>';
    assert.equal(html`<p>${evil}</p>`.safeHtml, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    assert.equal(
      html`<div>${html`<b>${evil}</b>`}</div>`.safeHtml,
      '<div><b>&lt;script&gt;alert(1)&lt;/script&gt;</b></div>',
    );
    assert.equal(html`${[1, '<', null, undefined]}`.safeHtml, '1&lt;');
  });
});

describe('delivery plan', () => {
  const prefs = (marketingOptIn: boolean, channels: Array<'email' | 'in_app'>) => ({
    marketingOptIn,
    channels,
    locale: 'en',
  });
  it('account: email always, whatever the preferences; never the inbox', () => {
    assert.deepEqual(planDelivery('account', prefs(false, [])), {
      kind: 'deliver',
      email: true,
      inApp: false,
    });
    assert.deepEqual(planDelivery('account', undefined), { kind: 'deliver', email: true, inApp: false });
  });
  it('order and shipping: always the inbox; email unless left out of the channels; defaults when unknown', () => {
    assert.deepEqual(planDelivery('order', undefined), { kind: 'deliver', email: true, inApp: true });
    assert.deepEqual(planDelivery('shipping', prefs(false, ['in_app'])), {
      kind: 'deliver',
      email: false,
      inApp: true,
    });
  });
  it('marketing: a known opt-in, to the chosen channels', () => {
    assert.deepEqual(planDelivery('marketing', undefined), { kind: 'wait', reason: 'preferences_unknown' });
    assert.deepEqual(planDelivery('marketing', prefs(false, ['email'])), {
      kind: 'skip',
      reason: 'marketing_opt_out',
    });
    assert.deepEqual(planDelivery('marketing', prefs(true, [])), { kind: 'skip', reason: 'no_channel' });
    assert.deepEqual(planDelivery('marketing', prefs(true, ['in_app'])), {
      kind: 'deliver',
      email: false,
      inApp: true,
    });
  });
});

describe('locale and formats', () => {
  it('picks the template language from the locale, English otherwise', () => {
    assert.equal(templateLanguage('de-AT', ['en', 'de']), 'de');
    assert.equal(templateLanguage('fr-FR', ['en', 'de']), 'en');
    assert.equal(templateLanguage(undefined, ['en']), 'en');
    assert.equal(formattingLocale('not a locale!'), 'en');
    assert.equal(formattingLocale('de-de'), 'de-DE');
  });
  it('formats money in the currency minor units, and order numbers', () => {
    assert.equal(formatMoney({ amountMinor: 4544, currency: 'EUR' }, 'en-GB'), '€45.44');
    assert.equal(formatMoney({ amountMinor: 1500, currency: 'JPY' }, 'en-GB'), 'JP¥1,500');
    assert.match(formatMoney({ amountMinor: 4544, currency: 'EUR' }, 'de-DE'), /^45,44\s€$/);
    assert.equal(orderNumber('0a1b2c3d-0000-4000-8000-000000000000'), '0A1B2C3D');
  });
  it('dedupe keys name the occurrence, the recipient (case-insensitive) and the kind', () => {
    assert.equal(dedupeKey('e1', 'Ann@Example.com', 'verify_email'), 'e1|ann@example.com|verify_email');
  });
});

describe('SMTP failures and retries', () => {
  it('5xx is permanent; 4xx and no answer are temporary', () => {
    assert.equal(classifySmtpFailure({ responseCode: 550 }), 'permanent');
    assert.equal(classifySmtpFailure({ responseCode: 554, code: 'EENVELOPE' }), 'permanent');
    assert.equal(classifySmtpFailure({ responseCode: 451 }), 'temporary');
    assert.equal(classifySmtpFailure({ code: 'ECONNECTION' }), 'temporary');
    assert.equal(classifySmtpFailure({}), 'temporary');
  });
  it('backs off exponentially with jitter, capped', () => {
    assert.equal(
      retryDelayMs(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      retryDelayMs(3, 1000, 60_000, () => 1),
      4000,
    );
    assert.equal(
      retryDelayMs(20, 1000, 60_000, () => 1),
      60_000,
    );
  });
  it('the token bucket lets a burst of its capacity through, then paces', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 2, now: () => now });
    assert.equal(bucket.available(), 2);
    assert.equal(bucket.reserve(), 0);
    assert.equal(bucket.reserve(), 0);
    assert.equal(bucket.reserve(), 500);
    assert.equal(bucket.reserve(), 1000);
    now = 1000; // the two booked tokens are paid back
    assert.equal(bucket.available(), 0);
    now = 2000;
    assert.equal(bucket.available(), 2);
    now = 60_000;
    assert.equal(bucket.available(), 2, 'never more than the capacity');
  });
});

describe('templates', () => {
  const links = linksFor('https://shop.example/');
  const evil = '<img src=x onerror=alert(1)>';
  const params: Record<Kind, unknown> = {
    verify_email: { userId: 'u', email: `a${evil}@x.io`, token: 'a"b<c', expiresAt: '2030-01-01T00:00:00Z' },
    password_reset: { userId: 'u', email: 'a@x.io', token: 'tok&en', expiresAt: '2030-01-01T00:00:00Z' },
    account_locked: { userId: 'u', email: 'a@x.io', lockedUntil: '2030-01-01T00:00:00Z', failedAttempts: 10 },
    registration_repeated: { userId: 'u', email: 'a@x.io' },
    password_changed: { userId: 'u', email: 'a@x.io', via: 'reset' },
    new_device_signin: {
      userId: 'u',
      email: 'a@x.io',
      device: `Firefox on Linux ${evil}`,
      ipPrefix: `203.0.113.0/24${evil}`,
      signedInAt: '2030-01-01T12:30:00Z',
    },
    order_placed: {
      ...orderConfirmed('00000000-0000-4000-8000-000000000001'),
      placedAt: '2030-01-01T00:00:00Z',
    },
    order_confirmed: {
      ...orderConfirmed('00000000-0000-4000-8000-000000000001'),
      shippingAddress: { ...ADDRESS, line1: evil },
    },
    order_cancelled: {
      orderId: 'o',
      userId: 'u',
      reason: 'something_new',
      refunded: true,
      cancelledAt: '2030-01-01T00:00:00Z',
    },
    order_refunded: {
      orderId: 'o',
      paymentId: 'p',
      refundId: 'r',
      amount: { amountMinor: 100, currency: 'USD' },
      refundedAt: '2030-01-01T00:00:00Z',
    },
    shipment_scheduled: {
      shipmentId: 's',
      orderId: 'o',
      userId: 'u',
      trackingNumber: 'AB12CD34',
      carrier: 'parcelpost',
      serviceLevel: 'standard',
      estimatedDelivery: '2030-01-03',
      destination: { city: evil, country: 'DE' },
      scheduledAt: '2030-01-01T00:00:00Z',
    },
    shipment_dispatched: {
      shipmentId: 's',
      orderId: 'o',
      userId: 'u',
      trackingNumber: 'AB12CD34',
      location: { city: 'Berlin', country: 'DE' },
      dispatchedAt: '2030-01-01T00:00:00Z',
    },
    shipment_delivered: {
      shipmentId: 's',
      orderId: 'o',
      userId: 'u',
      trackingNumber: 'AB12CD34',
      location: { city: 'Berlin', country: 'DE' },
      deliveredAt: '2030-01-01T00:00:00Z',
    },
    promotion: { promotionId: 'p', headline: evil, body: evil, link: 'https://shop.example/tea?a=1&b=2' },
    back_in_stock: { productId: 'p', sku: 'TEA-1', name: `Green tea ${evil}` },
  };

  it('every kind renders in each of its languages, HTML escaped, text and subject present', () => {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      for (const language of languagesOf(kind)) {
        const locale = language === 'de' ? 'de-DE' : 'en-GB';
        const r = renderMessage(kind, params[kind], { locale, name: evil, links });
        assert.equal(r.language, language);
        assert.ok(r.subject.length > 0 && r.text.length > 0, kind);
        assert.ok(!r.html.includes('<img'), `${kind}/${language}: no markup from values`);
        assert.ok(
          r.html.includes('&lt;img src=x onerror=alert(1)&gt;'),
          `${kind}/${language}: the name is escaped`,
        );
        assert.match(r.html, new RegExp(`^<!doctype html>\\n<html lang="${language}">`));
      }
    }
  });

  it('tokens are URL-encoded in links and escaped in HTML; German where translated, else English', () => {
    const verify = renderMessage('verify_email', params.verify_email, { locale: 'de-CH', name: null, links });
    assert.equal(verify.language, 'de');
    assert.ok(verify.html.includes('href="https://shop.example/verify-email?token=a%22b%3Cc"'));
    assert.ok(verify.text.startsWith('Hallo,'));
    const locked = renderMessage('account_locked', params.account_locked, {
      locale: 'de-DE',
      name: null,
      links,
    });
    assert.equal(locked.language, 'en');
    const cancelled = renderMessage('order_cancelled', params.order_cancelled, {
      locale: 'en',
      name: null,
      links,
    });
    assert.match(cancelled.text, /could not be completed/);
    assert.match(cancelled.text, /refunded in full/);
  });

  it('a new-device sign-in names the device, the network and the time, and links to a password reset', () => {
    const p = {
      userId: 'u',
      email: 'a@x.io',
      device: 'Chrome on Windows',
      ipPrefix: '203.0.113.0/24',
      signedInAt: '2030-01-01T12:30:00Z',
    };
    const en = renderMessage('new_device_signin', p, { locale: 'en-GB', name: 'Ann', links });
    assert.equal(en.subject, 'New sign-in to your ShopNow account');
    for (const part of ['Chrome on Windows', '203.0.113.0/24', '1 Jan 2030, 12:30', 'a@x.io']) {
      assert.ok(en.text.includes(part), part);
      assert.ok(en.html.includes(part), part);
    }
    assert.ok(en.html.includes('If this wasn\'t you: <a href="https://shop.example/forgot-password">'));
    assert.ok(
      en.text.includes("If this wasn't you: reset your password at https://shop.example/forgot-password"),
    );
    const de = renderMessage('new_device_signin', p, { locale: 'de-AT', name: null, links });
    assert.equal(de.language, 'de');
    assert.equal(de.subject, 'Neue Anmeldung bei Ihrem ShopNow-Konto');
    assert.ok(de.text.includes('Gerät: Chrome on Windows'));
    assert.ok(de.text.includes('01.01.2030, 12:30'));
    assert.ok(de.html.includes('href="https://shop.example/forgot-password"'));
    const unknown = renderMessage(
      'new_device_signin',
      { ...p, ipPrefix: null },
      { locale: 'en', name: null, links },
    );
    assert.ok(unknown.text.includes('Network: unknown'));
  });
});
