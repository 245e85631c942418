import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clientIpBehind,
  clientIpOf,
  forwardedProtoOf,
  isTrustedPeer,
  parseTrustedProxies,
  peerOf,
} from '../src/edge/client-ip.ts';
import { compileIpRules } from '../src/edge/ip-filter.ts';

const proxies = parseTrustedProxies('127.0.0.1/32, 10.0.0.0/8,::1/128 fd00::/8');

describe('parseTrustedProxies', () => {
  test('accepts CIDRs and bare addresses, IPv4 and IPv6, comma or space separated', () => {
    const list = parseTrustedProxies('192.168.1.7 2001:db8::/32,10.1.0.0/16');
    assert.equal(list.check('192.168.1.7'), true);
    assert.equal(list.check('192.168.1.8'), false);
    assert.equal(list.check('10.1.255.1'), true);
    assert.equal(list.check('2001:db8:1::5', 'ipv6'), true);
    assert.equal(list.check('2001:db9::5', 'ipv6'), false);
  });

  test('an empty setting trusts nobody', () => {
    assert.equal(parseTrustedProxies('').check('127.0.0.1'), false);
    assert.equal(parseTrustedProxies(' , ').check('127.0.0.1'), false);
  });

  for (const bad of [
    '10.0.0.0/33',
    '::/129',
    'example.com',
    '10.0.0/8',
    '10.0.0.0/',
    '10.0.0.0/8x',
    'fe80::1%eth0',
  ]) {
    test(`refuses ${JSON.stringify(bad)} with a message naming the entry`, () => {
      assert.throws(
        () => parseTrustedProxies(`127.0.0.1,${bad}`),
        (err: Error) => err.message.startsWith('TRUSTED_PROXIES: ') && err.message.includes(bad),
      );
    });
  }
});

describe('clientIpOf', () => {
  test('no trusted proxy: the socket peer, whatever X-Forwarded-For says', () => {
    const none = parseTrustedProxies('');
    assert.equal(clientIpOf('203.0.113.9', '198.51.100.1', none), '203.0.113.9');
    assert.equal(clientIpOf('127.0.0.1', '198.51.100.1', none), '127.0.0.1');
  });

  test('a spoofed X-Forwarded-For from an untrusted peer is ignored', () => {
    assert.equal(clientIpOf('203.0.113.9', '10.0.0.1, 127.0.0.1', proxies), '203.0.113.9');
  });

  test('through one trusted proxy: the address it saw', () => {
    assert.equal(clientIpOf('10.0.0.5', '198.51.100.7', proxies), '198.51.100.7');
  });

  test('walks right to left past trusted hops; entries left of the client are the client’s own lies', () => {
    assert.equal(
      clientIpOf('10.0.0.5', '1.1.1.1, 198.51.100.7, 10.2.3.4, 127.0.0.1', proxies),
      '198.51.100.7',
    );
  });

  test('several X-Forwarded-For header lines count as one list', () => {
    assert.equal(clientIpOf('10.0.0.5', ['1.1.1.1, 198.51.100.7', '10.9.9.9'], proxies), '198.51.100.7');
  });

  test('every hop trusted: the leftmost', () => {
    assert.equal(clientIpOf('127.0.0.1', '10.0.0.1, 10.0.0.2', proxies), '10.0.0.1');
  });

  test('trusted peer without the header: the peer', () => {
    assert.equal(clientIpOf('10.0.0.5', undefined, proxies), '10.0.0.5');
  });

  test('a garbage entry stops the walk at the trusted hop that wrote it', () => {
    assert.equal(clientIpOf('10.0.0.5', '198.51.100.7, not-an-ip', proxies), '10.0.0.5');
    assert.equal(clientIpOf('10.0.0.5', '198.51.100.7, unknown, 10.0.0.6', proxies), '10.0.0.6');
    assert.equal(clientIpOf('10.0.0.5', '198.51.100.7, 1.2.3.4:abc', proxies), '10.0.0.5');
    assert.equal(clientIpOf('10.0.0.5', '', proxies), '10.0.0.5');
  });

  test('ports in entries are understood', () => {
    assert.equal(clientIpOf('10.0.0.5', '198.51.100.7:51234', proxies), '198.51.100.7');
    assert.equal(clientIpOf('10.0.0.5', '[2001:db8::7]:443', proxies), '2001:db8::7');
  });

  test('IPv4-mapped IPv6 peers and entries are normalised to IPv4 and matched against IPv4 ranges', () => {
    assert.equal(clientIpOf('::ffff:10.0.0.5', '::FFFF:198.51.100.7', proxies), '198.51.100.7');
    assert.equal(clientIpOf('::ffff:203.0.113.9', '198.51.100.7', proxies), '203.0.113.9');
  });

  test('IPv6 proxies and clients', () => {
    assert.equal(clientIpOf('::1', '2001:DB8::42', proxies), '2001:db8::42');
    assert.equal(clientIpOf('fd12::1', '2001:db8::42, fd00::9', proxies), '2001:db8::42');
    assert.equal(clientIpOf('2001:db8::66', '2001:db8::42', proxies), '2001:db8::66');
  });

  test('no socket address (socket gone): empty string', () => {
    assert.equal(clientIpOf(undefined, '198.51.100.7', proxies), '');
  });

  test('isTrustedPeer', () => {
    assert.equal(isTrustedPeer('::ffff:127.0.0.1', proxies), true);
    assert.equal(isTrustedPeer('203.0.113.9', proxies), false);
    assert.equal(isTrustedPeer(undefined, proxies), false);
  });

  test('peerOf parses a socket once and clientIpBehind walks from it as clientIpOf does', () => {
    const socket = { remoteAddress: '::ffff:127.0.0.1' };
    const peer = peerOf(socket, proxies);
    assert.deepEqual(peer, { ip: { address: '127.0.0.1', family: 'ipv4' }, trusted: true });
    assert.equal(peerOf(socket, proxies), peer, 'remembered for the connection');
    assert.equal(
      clientIpBehind(peer!, '198.51.100.7', proxies),
      clientIpOf(socket.remoteAddress, '198.51.100.7', proxies),
    );
    // Another trusted list (a test app, say) is looked up afresh.
    assert.equal(peerOf(socket, parseTrustedProxies(''))?.trusted, false);
    assert.equal(peerOf({ remoteAddress: 'not-an-ip' }, proxies), undefined);
    assert.equal(peerOf({ remoteAddress: undefined }, proxies), undefined);
  });
});

describe('forwardedProtoOf', () => {
  test('untrusted peer: our own socket decides', () => {
    assert.equal(forwardedProtoOf(false, 'https', false), 'http');
    assert.equal(forwardedProtoOf(true, 'http', false), 'https');
  });
  test('trusted peer: the last value, the nearest proxy’s', () => {
    assert.equal(forwardedProtoOf(false, 'https', true), 'https');
    assert.equal(forwardedProtoOf(false, 'http, HTTPS', true), 'https');
    assert.equal(forwardedProtoOf(true, ['https', 'http'], true), 'http');
  });
  test('trusted peer with a missing or odd value: our own socket', () => {
    assert.equal(forwardedProtoOf(true, undefined, true), 'https');
    assert.equal(forwardedProtoOf(false, 'ftp', true), 'http');
  });
});

describe('compileIpRules', () => {
  test('no rules: undefined (nothing to check)', () => {
    assert.equal(compileIpRules({}), undefined);
    assert.equal(compileIpRules({ allow: [], deny: [] }), undefined);
  });

  test('allow list: only matching IPv4 and IPv6 clients', () => {
    const allowed = compileIpRules({ allow: ['10.0.0.0/8', '192.168.1.5', '2001:db8::/32'] })!;
    assert.equal(allowed('10.200.0.1'), true);
    assert.equal(allowed('192.168.1.5'), true);
    assert.equal(allowed('192.168.1.6'), false);
    assert.equal(allowed('11.0.0.1'), false);
    assert.equal(allowed('2001:db8:ffff::1'), true);
    assert.equal(allowed('2001:db9::1'), false);
    assert.equal(allowed('::ffff:10.1.1.1'), true);
  });

  test('deny list only: everyone else passes', () => {
    const allowed = compileIpRules({ deny: ['203.0.113.0/24', '2001:db8:bad::/48'] })!;
    assert.equal(allowed('203.0.113.77'), false);
    assert.equal(allowed('203.0.114.1'), true);
    assert.equal(allowed('2001:db8:bad:1::1'), false);
    assert.equal(allowed('2001:db8:600d::1'), true);
  });

  test('deny wins over allow', () => {
    const allowed = compileIpRules({ allow: ['10.0.0.0/8'], deny: ['10.6.6.0/24'] })!;
    assert.equal(allowed('10.1.1.1'), true);
    assert.equal(allowed('10.6.6.6'), false);
  });

  test('an address that is not an IP is refused whenever rules exist', () => {
    assert.equal(compileIpRules({ deny: ['10.0.0.0/8'] })!(''), false);
    assert.equal(compileIpRules({ deny: ['10.0.0.0/8'] })!('garbage'), false);
  });

  test('a bad entry throws naming the list and the entry', () => {
    assert.throws(() => compileIpRules({ allow: ['10.0.0.0/40'] }), /ipAllow: "10\.0\.0\.0\/40"/);
    assert.throws(() => compileIpRules({ deny: ['nope'] }), /ipDeny: "nope"/);
  });
});
