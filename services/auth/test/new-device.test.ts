// Sign-ins from a new device: the first device of an account is not "new" (registered or made by
// an admin), the same device again is not either; another device publishes
// auth.new_device_signed_in.v1 exactly once, in the login's transaction, with a short label and
// the client's network from the gateway's X-Client-IP. An account keeps its 20 newest devices.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '@shopnow/chassis';
import { createAccountCommand } from '../src/accounts/admin-create-account.ts';
import { describeDevice } from '../src/domain/device.ts';
import {
  type AuthFixture,
  accountId,
  GOOD_PASSWORD,
  outboxEvents,
  register,
  startAuth,
  uniqueEmail,
} from './helpers.ts';

const NEW_DEVICE = 'auth.new_device_signed_in.v1';
/** How many devices an account keeps (the brief's bound, written out so a change shows here). */
const MAX_KNOWN_DEVICES = 20;
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const FIREFOX_LINUX_UPDATED = 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let f: AuthFixture;
before(async () => {
  f = await startAuth();
});
after(async () => {
  await f?.close();
});

async function signIn(
  email: string,
  userAgent: string,
  options: { clientIp?: string; password?: string; remoteAddress?: string } = {},
) {
  f.clock.advance(1000);
  const res = await f.app.inject({
    method: 'POST',
    url: '/login',
    payload: { email, password: options.password ?? GOOD_PASSWORD },
    remoteAddress: options.remoteAddress ?? '10.9.0.1',
    headers: {
      'user-agent': userAgent,
      ...(options.clientIp === undefined ? {} : { 'x-client-ip': options.clientIp }),
    },
  });
  return res;
}

async function alertsFor(userId: string) {
  return (await outboxEvents(f.pool, NEW_DEVICE)).filter((event) => event.subject === userId);
}

async function devicesOf(userId: string) {
  const { rows } = await f.pool.query<{
    fingerprint: string;
    label: string;
    first_seen_at: Date;
    last_seen_at: Date;
    last_ip_prefix: string | null;
  }>(
    `SELECT fingerprint, label, first_seen_at, last_seen_at, last_ip_prefix
     FROM known_devices WHERE account_id = $1 ORDER BY last_seen_at DESC`,
    [userId],
  );
  return rows;
}

async function newAccount(prefix: string): Promise<{ email: string; userId: string }> {
  const email = uniqueEmail(prefix);
  await register(f, { email });
  return { email, userId: await accountId(f.pool, email) };
}

describe('sign-in from a new device', () => {
  it('the first sign-in of an account alarms no one; the device is remembered without the raw User-Agent', async () => {
    const { email, userId } = await newAccount('first');
    const res = await signIn(email, FIREFOX_LINUX, { clientIp: '198.51.100.23' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await alertsFor(userId), []);
    const [device, ...more] = await devicesOf(userId);
    assert.equal(more.length, 0);
    assert.equal(device?.label, 'Firefox on Linux');
    assert.equal(device?.last_ip_prefix, '198.51.100.0/24');
    assert.equal(device?.fingerprint, describeDevice(FIREFOX_LINUX).fingerprint);
    const { rows } = await f.pool.query(`SELECT * FROM known_devices WHERE account_id = $1`, [userId]);
    assert.ok(!JSON.stringify(rows).includes('rv:128'), 'no raw User-Agent stored');
    assert.ok(!JSON.stringify(rows).includes('198.51.100.23'), 'no full address stored');
  });

  it('the same device again (another browser version, another address) is not new; it is seen later', async () => {
    const { email, userId } = await newAccount('same');
    await signIn(email, FIREFOX_LINUX, { clientIp: '198.51.100.23' });
    const [before] = await devicesOf(userId);
    const res = await signIn(email, FIREFOX_LINUX_UPDATED, { clientIp: '203.0.113.9' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await alertsFor(userId), []);
    const after = await devicesOf(userId);
    assert.equal(after.length, 1);
    assert.equal(after[0]?.last_ip_prefix, '203.0.113.0/24');
    assert.equal(after[0]?.first_seen_at.getTime(), before?.first_seen_at.getTime());
    assert.ok((after[0]?.last_seen_at.getTime() ?? 0) > (before?.last_seen_at.getTime() ?? 0));
  });

  it('another device publishes auth.new_device_signed_in.v1 once, with the label and the /24', async () => {
    const { email, userId } = await newAccount('other');
    await signIn(email, FIREFOX_LINUX, { clientIp: '198.51.100.23' });
    const res = await signIn(email, CHROME_WINDOWS, { clientIp: '203.0.113.77' });
    assert.equal(res.statusCode, 200, res.body);
    const signedInAt = f.clock.now().toISOString();
    await signIn(email, CHROME_WINDOWS, { clientIp: '203.0.113.78' });
    await signIn(email, FIREFOX_LINUX);
    const alerts = await alertsFor(userId);
    assert.equal(alerts.length, 1, 'exactly one event for the new device');
    assert.deepEqual(alerts[0]?.data, {
      userId,
      email,
      device: 'Chrome on Windows',
      ipPrefix: '203.0.113.0/24',
      signedInAt,
    });
    assert.deepEqual((await devicesOf(userId)).map((d) => d.label).sort(), [
      'Chrome on Windows',
      'Firefox on Linux',
    ]);
  });

  it('an IPv6 client is cut to /48; without a usable X-Client-IP the socket address counts', async () => {
    const { email, userId } = await newAccount('v6');
    await signIn(email, FIREFOX_LINUX);
    await signIn(email, SAFARI_IPHONE, { clientIp: '2001:db8:abcd:12:34::1' });
    await signIn(email, CHROME_WINDOWS, { clientIp: 'not-an-address', remoteAddress: '192.0.2.200' });
    const alerts = await alertsFor(userId);
    assert.deepEqual(
      alerts.map((a) => [a.data.device, a.data.ipPrefix]),
      [
        ['Safari on iOS (phone)', '2001:db8:abcd::/48'],
        ['Chrome on Windows', '192.0.2.0/24'],
      ],
    );
  });

  it('a wrong password from a new device records nothing and tells no one', async () => {
    const { email, userId } = await newAccount('wrong');
    await signIn(email, FIREFOX_LINUX);
    const res = await signIn(email, CHROME_WINDOWS, { password: 'not-the-password' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(await alertsFor(userId), []);
    assert.equal((await devicesOf(userId)).length, 1);
  });

  it("an admin-created (demo) account's first sign-in is not new", async () => {
    const email = uniqueEmail('demo');
    const out: string[] = [];
    const code = await createAccountCommand({
      out: (line) => out.push(line),
      err: (line) => assert.fail(line),
      stdin: async () => 'demo-admin-passphrase',
    })(['--email', email, '--verified'], {
      pool: f.pool,
      logger: f.app.log as unknown as Logger,
      env: {},
    });
    assert.equal(code, 0);
    const userId = await accountId(f.pool, email);
    const res = await signIn(email, CHROME_WINDOWS, { password: 'demo-admin-passphrase' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await alertsFor(userId), []);
    assert.equal((await devicesOf(userId)).length, 1);
  });

  it(`keeps the ${MAX_KNOWN_DEVICES} most recently seen devices; a forgotten one is new again`, async () => {
    const { email, userId } = await newAccount('many');
    const agents = manyDevices(MAX_KNOWN_DEVICES + 2);
    const labels = agents.map((ua) => describeDevice(ua).label);
    assert.equal(new Set(agents.map((ua) => describeDevice(ua).fingerprint)).size, agents.length);
    for (const ua of agents) assert.equal((await signIn(email, ua)).statusCode, 200);
    assert.equal((await alertsFor(userId)).length, agents.length - 1, 'every device after the first');
    const kept = await devicesOf(userId);
    assert.equal(kept.length, MAX_KNOWN_DEVICES);
    assert.deepEqual(kept.map((d) => d.label).sort(), labels.slice(2).sort(), 'the two oldest are forgotten');

    // The third device is still known; the first was forgotten, so it is new once more.
    await signIn(email, agents[2] as string);
    assert.equal((await alertsFor(userId)).length, agents.length - 1);
    await signIn(email, agents[0] as string);
    const alerts = await alertsFor(userId);
    assert.equal(alerts.length, agents.length);
    assert.equal(alerts.at(-1)?.data.device, labels[0]);
    assert.equal((await devicesOf(userId)).length, MAX_KNOWN_DEVICES);
  });
});

/** `count` User-Agents of distinct browser/OS/type combinations. */
function manyDevices(count: number): string[] {
  const browsers = [
    'Firefox/128.0',
    'Chrome/126.0 Safari/537.36',
    'Chrome/126.0 Safari/537.36 Edg/126.0',
    'Chrome/126.0 Safari/537.36 OPR/110.0',
    'Chrome/126.0 Safari/537.36 Vivaldi/6.7',
  ];
  const systems = [
    '(Windows NT 10.0; Win64; x64)',
    '(X11; Linux x86_64)',
    '(Macintosh; Intel Mac OS X 14_5)',
    '(X11; CrOS x86_64 15917.71.0)',
    '(Linux; Android 14; Pixel 8) Mobile',
    '(Linux; Android 14; SM-X710)',
  ];
  const agents: string[] = [];
  for (const os of systems)
    for (const browser of browsers) agents.push(`Mozilla/5.0 ${os} AppleWebKit/537.36 ${browser}`);
  assert.ok(agents.length >= count);
  return agents.slice(0, count);
}
