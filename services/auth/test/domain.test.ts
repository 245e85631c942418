// The pure rules: email normalisation, the password policy, the throttle arithmetic, devices and
// networks of sign-ins, and the argon2id PHC format (parameters read back from the string, so they can be raised later).
import assert from 'node:assert/strict';
import { argon2Sync } from 'node:crypto';
import { describe, it } from 'node:test';
import { describeDevice, ipPrefix } from '../src/domain/device.ts';
import { normaliseEmail } from '../src/domain/email.ts';
import { checkPassword, passwordLength } from '../src/domain/password-policy.ts';
import { hashSecretToken, newSecretToken } from '../src/domain/secret-token.ts';
import {
  accountFailure,
  DEFAULT_THROTTLE_RULES,
  ipFailure,
  type ThrottleState,
  waitMs,
} from '../src/domain/throttle.ts';
import { accountThrottleKey } from '../src/domain/throttle-keys.ts';
import { hashPassword, parsePhc, verifyPassword } from '../src/passwords/argon2.ts';
import { isCommonPassword } from '../src/passwords/common-passwords.ts';

describe('normaliseEmail', () => {
  it('trims, applies NFKC and lower-cases', () => {
    assert.deepEqual(normaliseEmail('  Ann.Lee@Example.COM\t'), { ok: true, email: 'ann.lee@example.com' });
    assert.deepEqual(normaliseEmail('ａｎｎ@ｅｘａｍｐｌｅ.com'), { ok: true, email: 'ann@example.com' });
  });
  it('refuses malformed and over-long addresses', () => {
    for (const bad of [
      '',
      'ann',
      'ann@',
      '@example.com',
      'a@b@example.com',
      'a b@example.com',
      'ann@example',
      'ann@-x.com',
      '.ann@example.com',
      'a..b@example.com',
    ]) {
      assert.equal(normaliseEmail(bad).ok, false, bad);
    }
    assert.equal(
      normaliseEmail(`${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`).ok,
      true,
    );
    assert.equal(
      normaliseEmail(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`).ok,
      false,
      '> 254',
    );
    assert.equal(normaliseEmail(`${'a'.repeat(65)}@example.com`).ok, false, 'local part > 64');
  });
});

describe('password policy', () => {
  const context = { email: 'ann.lee@example.com', isCommon: isCommonPassword };
  it('counts code points', () => {
    assert.equal(passwordLength('🔑🔑'), 2);
    assert.equal(checkPassword('🔑🔒🔐🔓🪪🧩🎲🎯', context).ok, true);
    assert.equal(checkPassword('🔑🔒🔐🔓', context).ok, false);
  });
  it('takes 8 to 256 characters, with no composition rules', () => {
    assert.equal(checkPassword('abcdefg', context).ok, false);
    assert.equal(checkPassword('zqxwvmkp', context).ok, true);
    assert.equal(checkPassword('k'.repeat(256), context).ok, true);
    assert.equal(checkPassword('k'.repeat(257), context).ok, false);
  });
  it('refuses common passwords in any case, and the email or its local part', () => {
    assert.equal(isCommonPassword('password'), true);
    assert.equal(checkPassword('PassWord', context).ok, false);
    assert.equal(checkPassword('ANN.LEE@example.com', context).ok, false);
    assert.equal(checkPassword('ann.lee1', context).ok, true);
    assert.equal(checkPassword('longer.name', { ...context, email: 'Longer.Name@example.com' }).ok, false);
  });
});

describe('throttle rules', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  it('delays from the third failure, doubling, capped at 60 s, and locks at the tenth', () => {
    let state: ThrottleState | undefined;
    const waits: number[] = [];
    let locked = false;
    for (let i = 1; i <= 10; i++) {
      const outcome = accountFailure(state, at(i * 120_000));
      state = outcome.state;
      locked = outcome.locked;
      waits.push(waitMs(state, at(i * 120_000)));
    }
    assert.deepEqual(waits, [0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 15 * 60_000]);
    assert.equal(locked, true);
  });
  it('forgets an account key after a quiet 15 minutes (once any wait is over)', () => {
    let { state } = accountFailure(undefined, t0);
    ({ state } = accountFailure(state, at(1000)));
    ({ state } = accountFailure(state, at(2000)));
    assert.equal(state.failures, 3);
    assert.equal(accountFailure(state, at(2000 + DEFAULT_THROTTLE_RULES.forgetAfterMs)).state.failures, 1);
  });
  it('blocks an IP at 20 failures until its 15-minute window ends', () => {
    let state: ThrottleState | undefined;
    for (let i = 0; i < 20; i++) state = ipFailure(state, at(i * 1000));
    assert.equal(state?.failures, 20);
    assert.equal(waitMs(state, at(19_000)), 15 * 60_000 - 19_000);
    assert.equal(ipFailure(state, at(15 * 60_000)).failures, 1);
  });
  it('keys accounts by a hash of the normalised email', () => {
    assert.match(accountThrottleKey('ann@example.com'), /^account:[0-9a-f]{64}$/);
    assert.doesNotMatch(accountThrottleKey('ann@example.com'), /ann/);
  });
});

describe('secret tokens', () => {
  it('are 32 random bytes in base64url, stored as SHA-256', () => {
    const { token, hash } = newSecretToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.deepEqual(hashSecretToken(token), hash);
    assert.notEqual(newSecretToken().token, token);
  });
});

describe('argon2id PHC strings', () => {
  it('hash with OWASP parameters and a random salt; verify right and wrong passwords', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    assert.notEqual(a, b, 'salted');
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword('correct horse battery', a), true);
    assert.equal(await verifyPassword('correct horse batterY', a), false);
    assert.equal(await verifyPassword('correct horse battery', 'not a hash'), false);
  });
  it('read the parameters from the string, so hashes made with other ones still verify', async () => {
    const cheap = await hashPassword('raise me later', { memory: 8192, passes: 1, parallelism: 1 });
    assert.deepEqual(parsePhc(cheap)?.params, { memory: 8192, passes: 1, parallelism: 1 });
    assert.equal(await verifyPassword('raise me later', cheap), true);
  });
  it('node:crypto computes real argon2id v1.3 (the RFC 9106 section 5.3 test vector)', () => {
    const tag = argon2Sync('argon2id', {
      message: Buffer.alloc(32, 1),
      nonce: Buffer.alloc(16, 2),
      secret: Buffer.alloc(8, 3),
      associatedData: Buffer.alloc(12, 4),
      memory: 32,
      passes: 3,
      parallelism: 4,
      tagLength: 32,
    });
    assert.equal(tag.toString('hex'), '0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });
  it('verify a PHC string built by hand (salt and hash in unpadded base64)', async () => {
    const salt = Buffer.from('somesaltsomesalt');
    const hash = argon2Sync('argon2id', {
      message: Buffer.from('password'),
      nonce: salt,
      memory: 4096,
      passes: 3,
      parallelism: 1,
      tagLength: 32,
    });
    const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
    const phc = `$argon2id$v=19$m=4096,t=3,p=1$${b64(salt)}$${b64(hash)}`;
    assert.equal(await verifyPassword('password', phc), true);
    assert.equal(await verifyPassword('Password', phc), false);
  });
});

describe('devices and networks of sign-ins', () => {
  const agents: Array<[string, string]> = [
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
      'Chrome on iOS (phone)',
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS (tablet)',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36',
      'Chrome on Android (phone)',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Safari/537.36',
      'Samsung Internet on Android (tablet)',
    ],
    [
      'Mozilla/5.0 (X11; CrOS x86_64 15917.71.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'Chrome on ChromeOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0',
      'Opera on Windows',
    ],
    ['curl/8.8.0', 'curl on unknown system'],
    ['', 'Unknown browser on unknown system'],
  ];
  it('labels the browser family, the OS family and, for phones and tablets, the device type', () => {
    for (const [ua, label] of agents) assert.equal(describeDevice(ua).label, label, ua);
  });
  it('fingerprints the families only: a browser update is the same device, another browser is not', () => {
    const a = describeDevice('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
    const b = describeDevice(
      'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0',
    );
    assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(a.fingerprint, b.fingerprint);
    const fingerprints = new Set(agents.map(([ua]) => describeDevice(ua).fingerprint));
    assert.equal(fingerprints.size, agents.length);
    // A huge header costs no more than its first 512 characters.
    assert.equal(describeDevice(`curl/1 ${'x'.repeat(100_000)}`).label, 'curl on unknown system');
  });
  it('cuts IPv4 to /24 and IPv6 to /48; anything else is null', () => {
    assert.equal(ipPrefix('203.0.113.77'), '203.0.113.0/24');
    assert.equal(ipPrefix('::ffff:198.51.100.9'), '198.51.100.0/24');
    assert.equal(ipPrefix('2001:db8:abcd:12:34::1'), '2001:db8:abcd::/48');
    assert.equal(ipPrefix('2001:DB8::1'), '2001:db8:0::/48');
    assert.equal(ipPrefix('fe80::1%eth0'), 'fe80:0:0::/48');
    assert.equal(ipPrefix('::1'), '0:0:0::/48');
    assert.equal(ipPrefix('64:ff9b::192.0.2.33'), '64:ff9b:0::/48');
    assert.equal(ipPrefix('1:2:3:4:5:6:7:8'), '1:2:3::/48');
    for (const bad of [
      '',
      'localhost',
      '300.1.1.1',
      '1.2.3',
      '01.2.3.4',
      '2001:db8:::1',
      '2001:db8::1::2',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4::5:6:7:8',
      '12345::1',
      'g::1',
      '::1%',
      '1.2.3.4::',
      '203.0.113.77/24',
    ]) {
      assert.equal(ipPrefix(bad), null, bad);
    }
  });
});
