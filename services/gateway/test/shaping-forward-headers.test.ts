import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { forwardHeaders, responseHeadersFromUpstream } from '../src/shaping/forward-headers.ts';

// What a hostile client sends: forged identity, origin and correlation headers, and
// connection-management headers that must not travel further.
const forged = {
  host: 'shop.example',
  accept: 'application/json',
  'content-type': 'application/json',
  'x-user-id': 'admin-1',
  'x-user-roles': 'admin',
  'x-user-tier': 'enterprise',
  'x-internal-secret': 'yes',
  'x-forwarded-for': '1.2.3.4',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  forwarded: 'for=1.2.3.4',
  'x-real-ip': '1.2.3.4',
  'x-client-ip': '1.2.3.4',
  'x-request-id': 'forged-id',
  'x-api-key': 'sk_live_secret',
  authorization: 'Bearer client-token',
  connection: 'keep-alive, X-Drop-Me, Content-Type',
  'keep-alive': 'timeout=5',
  'proxy-authorization': 'Basic x',
  'proxy-connection': 'keep-alive',
  te: 'trailers',
  trailer: 'x',
  upgrade: 'websocket',
  expect: '100-continue',
  'x-drop-me': 'named in Connection',
  cookie: 'a=1',
  traceparent: '00-client-trace',
  'x-custom': ['one', 'two'],
  absent: undefined,
};

const ctx = {
  requestId: 'req-1',
  clientIp: '203.0.113.9',
  forwardedProto: 'https' as const,
  host: 'shop.example',
  user: { id: 'u-42', roles: ['customer', 'premium'] },
  authorization: 'Bearer gateway-checked',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

describe('forwardHeaders', () => {
  it('replaces every forged identity/origin header with the gateway’s values and drops hop-by-hop ones', () => {
    assert.deepEqual(forwardHeaders(forged, ctx), {
      accept: 'application/json',
      'content-type': 'application/json',
      cookie: 'a=1',
      'x-custom': ['one', 'two'],
      'x-request-id': 'req-1',
      'x-client-ip': '203.0.113.9',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'shop.example',
      'x-user-id': 'u-42',
      'x-user-roles': 'customer,premium',
      authorization: 'Bearer gateway-checked',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
  });

  it('for an anonymous caller: no user headers, no client Authorization, the client traceparent passes', () => {
    const out = forwardHeaders(forged, {
      requestId: 'r',
      clientIp: '::1',
      forwardedProto: 'http',
      host: undefined,
    });
    for (const name of [
      'x-user-id',
      'x-user-roles',
      'x-user-tier',
      'authorization',
      'x-forwarded-host',
      'x-api-key',
    ]) {
      assert.equal(out[name], undefined, name);
    }
    assert.equal(out.traceparent, '00-client-trace');
    assert.equal(out['x-forwarded-for'], '::1');
  });

  it('treats header names case-insensitively', () => {
    const out = forwardHeaders(
      { 'X-User-ID': 'admin', 'X-Forwarded-For': '1.1.1.1', Accept: '*/*' },
      { ...ctx, user: undefined },
    );
    assert.equal(out['x-user-id'], undefined);
    assert.equal(out['x-forwarded-for'], '203.0.113.9');
    assert.equal(out.accept, '*/*');
    assert.equal(out['X-User-ID'], undefined);
  });

  describe('through a real upstream', () => {
    let server: Server;
    let seen: IncomingHttpHeaders | undefined;
    let origin: string;
    before(async () => {
      server = createServer((req, res) => {
        seen = req.headers;
        res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
        res.setHeader('x-upstream', 'yes');
        res.setHeader('connection', 'keep-alive, x-hop');
        res.setHeader('x-hop', 'private');
        res.setHeader('strict-transport-security', 'max-age=60');
        res.end('{"ok":true}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('undici accepts the forwarded headers and the service sees only the gateway’s identity', async () => {
      const res = await request(`${origin}/products`, {
        method: 'POST',
        headers: forwardHeaders(forged, ctx),
        body: '{}',
      });
      const text = await res.body.text();
      assert.equal(text, '{"ok":true}');
      assert.ok(seen);
      assert.equal(seen['x-user-id'], 'u-42');
      assert.equal(seen['x-user-roles'], 'customer,premium');
      assert.equal(seen['x-user-tier'], undefined);
      assert.equal(seen['x-internal-secret'], undefined);
      assert.equal(seen['x-forwarded-for'], '203.0.113.9');
      assert.equal(seen['x-forwarded-host'], 'shop.example');
      assert.equal(seen.forwarded, undefined);
      assert.equal(seen['x-real-ip'], undefined);
      assert.equal(seen['x-api-key'], undefined);
      assert.equal(seen['x-request-id'], 'req-1');
      assert.equal(seen.authorization, 'Bearer gateway-checked');
      assert.equal(seen['x-drop-me'], undefined);
      assert.equal(seen['proxy-authorization'], undefined);
      assert.equal(seen.host, new URL(origin).host, 'undici sets Host for the upstream');
      assert.equal(seen['content-type'], 'application/json', 'a Connection-named essential header is kept');

      const back = responseHeadersFromUpstream(res.headers);
      assert.deepEqual(back['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(back['x-upstream'], 'yes');
      assert.equal(back['x-hop'], undefined);
      assert.equal(back['strict-transport-security'], undefined, 'HSTS is the edge’s to set');
      assert.equal(back.connection, undefined);
      assert.equal(back['keep-alive'], undefined);
      assert.equal(back['content-length'], undefined);
      assert.equal(
        responseHeadersFromUpstream(res.headers, { keepContentLength: true })['content-length'],
        '11',
      );
    });
  });
});
