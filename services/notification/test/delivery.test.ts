// Emails to a real SMTP server (smtp-server) from events on the real bus: the order confirmation
// with its number, totals and address exactly once although the event arrives twice; an SMTP
// outage waited out (retries, then one delivery); a permanent refusal (550) dead with the reason,
// listed and retried by an admin; marketing only with consent while order messages still go;
// profile down → defaults; the rate limit toward the server.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthNewDeviceSignedInV1,
  AuthPasswordResetRequestedV1,
  AuthUserRegisteredV1,
  OrderConfirmedV1,
  OrderPlacedV1,
} from '@shopnow/contracts';
import {
  asAdmin,
  deliver,
  eventually,
  type Fixture,
  messagesOf,
  orderConfirmed,
  publishOnBus,
  registered,
  startNotification,
} from './helpers.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

let smtp: TestSmtp;
let f: Fixture;
before(async () => {
  smtp = await startSmtp();
  f = await startNotification({ SMTP_URL: smtp.url });
});
after(async () => {
  await f?.close();
  await smtp?.stop();
});

async function customer(displayName = 'Alice') {
  const user = registered(randomUUID(), undefined, displayName);
  await deliver(f, AuthUserRegisteredV1, user.userId, user);
  return user;
}

async function statusOf(messageId: string) {
  const { rows } = await f.pool.query('SELECT status, attempts, last_error FROM messages WHERE id = $1', [
    messageId,
  ]);
  return rows[0] as { status: string; attempts: number; last_error: string | null };
}

describe('order confirmation', () => {
  it('reaches the SMTP server once, with the order number, totals and address, though delivered twice', async () => {
    const user = await customer('Alice <b>Example</b>');
    const order = orderConfirmed(user.userId);
    const eventId = randomUUID();
    await deliver(f, OrderConfirmedV1, order.orderId, order, eventId);
    // The same event again (a redelivery), and the same fact under a new event id.
    await deliver(f, OrderConfirmedV1, order.orderId, order, eventId).catch(() => undefined);
    await deliver(f, OrderConfirmedV1, order.orderId, order);
    await eventually(
      'the confirmation is sent',
      async () => (await messagesOf(f.pool, { userId: user.userId }))[0]?.status === 'sent',
    );
    await sleep(300);
    const mails = smtp.to(user.email);
    assert.equal(mails.length, 1, 'exactly one email');
    const mail = mails[0] as (typeof mails)[number];
    const number = order.orderId.replaceAll('-', '').slice(0, 8).toUpperCase();
    assert.match(mail.subject, new RegExp(`Your order ${number} is confirmed`));
    for (const expected of [
      number,
      order.orderId,
      '€45.44',
      '€33.99',
      '€4.99',
      '€6.46',
      '€25.00',
      'Coffee mug',
      '1 Market Street',
      '12345 Springfield',
      'DE',
    ]) {
      assert.ok(mail.content.includes(expected), `the email shows ${expected}`);
    }
    // The display name is escaped in the HTML, never markup.
    assert.ok(mail.content.includes('<p>Hello Alice &lt;b&gt;Example&lt;/b&gt;,</p>'));
    assert.ok(!mail.content.includes('<p>Hello Alice <b>'), 'no markup from a display name');
    assert.match(mail.messageId, /^<[0-9a-f-]{36}@shopnow.test>$/);
    assert.equal((await messagesOf(f.pool, { userId: user.userId })).length, 1);
  });

  it('is in German for a customer whose locale is German, with German number formats', async () => {
    const user = await customer('Jörg');
    f.profile.prefs.set(user.userId, {
      marketingOptIn: false,
      channels: ['email', 'in_app'],
      locale: 'de-DE',
    });
    const order = orderConfirmed(user.userId);
    await deliver(f, OrderConfirmedV1, order.orderId, order);
    await eventually('the email is received', async () => smtp.to(user.email).length === 1);
    const mail = smtp.to(user.email)[0] as TestSmtp['received'][number];
    assert.ok(mail.content.includes('ist bestätigt und bezahlt'));
    assert.ok(mail.content.includes('45,44'), 'German decimals');
    assert.ok(mail.content.includes('Hallo Jörg,'));
  });
});

describe('SMTP failures', () => {
  it('SMTP down: retried with backoff, then delivered once when the server is back', async () => {
    const user = await customer();
    await smtp.stop();
    try {
      const order = orderConfirmed(user.userId);
      await deliver(f, OrderConfirmedV1, order.orderId, order);
      await eventually('a few attempts failed', async () => {
        const [m] = await messagesOf(f.pool, { userId: user.userId });
        return m !== undefined && m.status === 'queued' && m.attempts >= 2;
      });
      const [m] = await messagesOf(f.pool, { userId: user.userId });
      assert.match(String(m?.last_error), /ECONNECTION|ECONNREFUSED|connect/i);
    } finally {
      await smtp.start();
    }
    await eventually(
      'sent once the server is back',
      async () => (await messagesOf(f.pool, { userId: user.userId }))[0]?.status === 'sent',
      30_000,
    );
    await sleep(300);
    assert.equal(smtp.to(user.email).length, 1);
  });

  it('a temporary refusal (451) is retried; a permanent one (550) makes the message dead with the reason', async () => {
    const soon = await customer();
    const never = await customer();
    smtp.refuse.set(soon.email, 451);
    smtp.refuse.set(never.email, 550);
    await deliver(f, OrderConfirmedV1, randomUUID(), orderConfirmed(soon.userId));
    await deliver(f, OrderConfirmedV1, randomUUID(), orderConfirmed(never.userId));
    await eventually(
      'the 550 is dead',
      async () => (await messagesOf(f.pool, { userId: never.userId }))[0]?.status === 'dead',
    );
    const [dead] = await messagesOf(f.pool, { userId: never.userId });
    assert.equal(dead?.attempts, 1, 'a permanent refusal is not retried');
    assert.match(String(dead?.last_error), /^550: .*No such mailbox/);
    await eventually(
      'the 451 was retried',
      async () => ((await messagesOf(f.pool, { userId: soon.userId }))[0]?.attempts ?? 0) >= 2,
    );
    smtp.refuse.delete(soon.email);
    await eventually(
      'the 451 one is sent',
      async () => (await messagesOf(f.pool, { userId: soon.userId }))[0]?.status === 'sent',
      30_000,
    );

    // The admin sees the dead one with its reason and sends it again once the address is fixed.
    const admin = await asAdmin(f);
    const list = await f.app.inject({ method: 'GET', url: '/admin/messages/dead', headers: admin });
    assert.equal(list.statusCode, 200);
    const item = list.json().items.find((m: { id: string }) => m.id === dead?.id);
    assert.ok(item, 'listed');
    assert.match(item.lastError, /550/);
    smtp.refuse.delete(never.email);
    const retry = await f.app.inject({
      method: 'POST',
      url: `/admin/messages/${dead?.id}/retry`,
      headers: admin,
    });
    assert.equal(retry.statusCode, 202, retry.body);
    await eventually(
      'the retried one is sent',
      async () => (await statusOf(dead?.id as string)).status === 'sent',
    );
    assert.equal(smtp.to(never.email).length, 1);
  });

  it('out of attempts on temporary failures → dead, with the last reason', async () => {
    const user = await customer();
    smtp.refuse.set(user.email, 451);
    await deliver(f, OrderConfirmedV1, randomUUID(), orderConfirmed(user.userId));
    await eventually(
      'dead after SMTP_MAX_ATTEMPTS',
      async () => (await messagesOf(f.pool, { userId: user.userId }))[0]?.status === 'dead',
      30_000,
    );
    const [m] = await messagesOf(f.pool, { userId: user.userId });
    assert.equal(m?.attempts, 6);
    assert.match(String(m?.last_error), /^451: /);
    smtp.refuse.delete(user.email);
  });
});

describe('preferences', () => {
  it('an opted-out customer gets no marketing but still gets order messages; an opted-in one gets both', async () => {
    const out = await customer();
    const into = await customer();
    f.profile.prefs.set(into.userId, {
      marketingOptIn: true,
      channels: ['email', 'in_app'],
      locale: 'en-GB',
    });
    const admin = await asAdmin(f);
    const promo = await f.app.inject({
      method: 'POST',
      url: '/admin/promotions',
      headers: admin,
      payload: { headline: 'Tea week: 20% off', body: 'All teas, this week only.' },
    });
    assert.equal(promo.statusCode, 202, promo.body);
    await deliver(f, OrderConfirmedV1, randomUUID(), orderConfirmed(out.userId));
    await eventually('the opted-in customer has the promotion', async () =>
      smtp.to(into.email).some((m) => m.subject.includes('Tea week')),
    );
    await eventually(
      'the opted-out customer has the order email',
      async () => smtp.to(out.email).length === 1,
    );
    const outMessages = await messagesOf(f.pool, { userId: out.userId });
    const promotion = outMessages.find((m) => m.kind === 'promotion');
    assert.equal(promotion?.status, 'skipped');
    assert.equal(promotion?.skip_reason, 'marketing_opt_out');
    assert.ok(smtp.to(out.email).every((m) => !m.subject.includes('Tea week')));
    // The same promotion id again sends nothing new.
    const again = await f.app.inject({
      method: 'POST',
      url: '/admin/promotions',
      headers: admin,
      payload: {
        promotionId: promo.json().promotionId,
        headline: 'Tea week: 20% off',
        body: 'All teas, this week only.',
      },
    });
    assert.equal(again.json().messages, 0);
  });

  it('profile down: transactional messages still go, in English; marketing waits for a known opt-in', async () => {
    const user = await customer();
    f.profile.prefs.set(user.userId, { marketingOptIn: true, channels: ['email'], locale: 'de-DE' });
    f.profile.down = true;
    try {
      await deliver(f, OrderConfirmedV1, randomUUID(), orderConfirmed(user.userId));
      await eventually('sent with defaults', async () => smtp.to(user.email).length === 1);
      assert.match(smtp.to(user.email)[0]?.subject ?? '', /is confirmed/);
      const admin = await asAdmin(f);
      await f.app.inject({
        method: 'POST',
        url: '/admin/promotions',
        headers: admin,
        payload: { headline: 'Down promo', body: 'x' },
      });
      await eventually('the promotion waits', async () => {
        const m = (await messagesOf(f.pool, { userId: user.userId })).find((x) => x.kind === 'promotion');
        return m !== undefined && m.status === 'pending' && m.attempts >= 1;
      });
    } finally {
      f.profile.down = false;
    }
    await eventually(
      'the promotion goes once profile answers',
      async () => smtp.to(user.email).some((m) => m.subject === 'Down promo'),
      30_000,
    );
  });
});

describe('account messages', () => {
  it('a password reset request is emailed with its link, whatever the preferences', async () => {
    const user = await customer();
    f.profile.prefs.set(user.userId, { marketingOptIn: false, channels: [], locale: 'en-GB' });
    const token = 'tok_'
      .padEnd(43, 'x')
      .replace(/x/g, () => 'Ab9_-'[Math.floor(Math.random() * 5)] as string);
    await deliver(f, AuthPasswordResetRequestedV1, user.userId, {
      userId: user.userId,
      email: user.email,
      token,
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    await eventually('received', async () => smtp.to(user.email).length === 1);
    const mail = smtp.to(user.email)[0] as TestSmtp['received'][number];
    assert.ok(mail.content.includes(`https://shop.example/reset-password?token=${token}`));
  });

  it('a sign-in from a new device is emailed once though delivered twice: device, network, time, reset link', async () => {
    const user = await customer('Ann <i>Lee</i>');
    // Account messages ignore the channels: no email channel, still emailed.
    f.profile.prefs.set(user.userId, { marketingOptIn: false, channels: [], locale: 'en-GB' });
    const signIn = {
      userId: user.userId,
      email: user.email,
      device: 'Chrome on Windows',
      ipPrefix: '203.0.113.0/24',
      signedInAt: '2030-03-04T05:06:00.000Z',
    };
    const eventId = randomUUID();
    await deliver(f, AuthNewDeviceSignedInV1, user.userId, signIn, eventId);
    await deliver(f, AuthNewDeviceSignedInV1, user.userId, signIn, eventId).catch(() => undefined);
    await eventually('received', async () => smtp.to(user.email).length === 1);
    const [message, ...others] = await messagesOf(f.pool, { userId: user.userId });
    assert.equal(others.length, 0, 'one message for the event');
    assert.equal(message?.kind, 'new_device_signin');
    await eventually(
      'recorded as sent',
      async () => (await statusOf(message?.id as string)).status === 'sent',
    );
    await sleep(300);
    assert.equal(smtp.to(user.email).length, 1, 'no second email');
    const mail = smtp.to(user.email)[0] as TestSmtp['received'][number];
    assert.equal(mail.subject, 'New sign-in to your ShopNow account');
    for (const part of [
      'Hello Ann &lt;i&gt;Lee&lt;/i&gt;,',
      'Device: Chrome on Windows',
      'Network: 203.0.113.0/24',
      'Time: 4 Mar 2030, 05:06 (UTC)',
      "If this wasn't you: reset your password at https://shop.example/forgot-password",
      'href="https://shop.example/forgot-password"',
    ]) {
      assert.ok(mail.content.includes(part), part);
    }
  });

  it('a new-device notice is in German for a German locale', async () => {
    const user = await customer('Jörg');
    f.profile.prefs.set(user.userId, { marketingOptIn: false, channels: ['email'], locale: 'de-DE' });
    await deliver(f, AuthNewDeviceSignedInV1, user.userId, {
      userId: user.userId,
      email: user.email,
      device: 'Safari on iOS (phone)',
      ipPrefix: '2001:db8:abcd::/48',
      signedInAt: '2030-03-04T05:06:00.000Z',
    });
    await eventually('received', async () => smtp.to(user.email).length === 1);
    const mail = smtp.to(user.email)[0] as TestSmtp['received'][number];
    assert.ok(mail.content.includes('Neue Anmeldung bei Ihrem ShopNow-Konto'), 'subject');
    assert.ok(mail.content.includes('Gerät: Safari on iOS (phone)'));
    assert.ok(mail.content.includes('Netz: 2001:db8:abcd::/48'));
    assert.ok(mail.content.includes('Zeit: 04.03.2030, 05:06 (UTC)'));
    assert.ok(mail.content.includes('Waren Sie das nicht'));
  });
});

describe('replicas', () => {
  it('three instances sending side by side send each email once', async () => {
    const burstSmtp = await startSmtp();
    const first = await startNotification({ SMTP_URL: burstSmtp.url, NOTIFICATION_BATCH_SIZE: 3 });
    try {
      await first.replica({ SMTP_URL: burstSmtp.url, NOTIFICATION_BATCH_SIZE: 3 });
      await first.replica({ SMTP_URL: burstSmtp.url, NOTIFICATION_BATCH_SIZE: 3 });
      const users = [];
      for (let i = 0; i < 30; i++) {
        const user = registered();
        users.push(user);
        await publishOnBus(first.bus, AuthUserRegisteredV1, {
          source: 'auth',
          subject: user.userId,
          data: user,
        });
      }
      await eventually('every recipient is known', async () => {
        const { rows } = await first.pool.query('SELECT count(*)::int AS n FROM recipients');
        return rows[0].n === 30;
      });
      await Promise.all(
        users.map((u) =>
          publishOnBus(first.bus, OrderPlacedV1, {
            source: 'order',
            subject: randomUUID(),
            data: placed(u.userId),
          }),
        ),
      );
      await eventually(
        'all sent',
        async () => {
          const { rows } = await first.pool.query(
            `SELECT count(*)::int AS n FROM messages WHERE status = 'sent'`,
          );
          return rows[0].n === 30;
        },
        30_000,
      );
      await sleep(300);
      assert.equal(burstSmtp.received.length, 30);
      assert.equal(new Set(burstSmtp.received.map((m) => m.messageId)).size, 30, 'no email twice');
    } finally {
      await first.close();
      await burstSmtp.stop();
    }
  });
});

describe('rate limit', () => {
  it('a burst is handed to the SMTP server no faster than SMTP_MAX_PER_SECOND', async () => {
    const limitedSmtp = await startSmtp();
    const limited = await startNotification({ SMTP_URL: limitedSmtp.url, SMTP_MAX_PER_SECOND: 5 });
    try {
      const users = [];
      for (let i = 0; i < 12; i++) {
        const user = registered();
        users.push(user);
        await deliver(limited, AuthUserRegisteredV1, user.userId, user);
      }
      await Promise.all(users.map((u) => deliver(limited, OrderPlacedV1, randomUUID(), placed(u.userId))));
      await eventually('all sent', async () => limitedSmtp.received.length === 12, 30_000);
      const times = limitedSmtp.received.map((m) => m.receivedAt).sort((a, b) => a - b);
      // 5 at once (the bucket's capacity), then 5 a second: the last 7 need at least 1.4 s.
      const span = (times.at(-1) as number) - (times[0] as number);
      assert.ok(span >= 1200, `12 emails took ${span} ms`);
    } finally {
      await limited.close();
      await limitedSmtp.stop();
    }
  });
});

function placed(userId: string) {
  const { shippingAddress: _a, confirmedAt: _c, cartId: _id, ...rest } = orderConfirmed(userId);
  return { ...rest, placedAt: new Date().toISOString() };
}
