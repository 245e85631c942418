// TLS termination with a certificate generated at test time, HSTS (on HTTPS answers only), and
// the HTTP→HTTPS redirect.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { type App, createApp } from '@shopnow/chassis';
import { parseTrustedProxies } from '../src/edge/client-ip.ts';
import { DEFAULT_EDGE_LIMITS, edgeFastifyOptions } from '../src/edge/limits.ts';
import { hostnameOf, hstsHeader, loadTlsOptions, startHttpsRedirect } from '../src/edge/tls.ts';
import { registerEdgeHooks } from '../src/http/edge-hooks.ts';
import { makeTestCert, type TestCert } from './fixtures/edge-cert.ts';
import { rawRequest } from './fixtures/edge-raw-http.ts';

let cert: TestCert;
before(() => {
  cert = makeTestCert();
});
after(() => cert.cleanup());

const quietLogger = { info: () => {} };

describe('loadTlsOptions', () => {
  test('neither variable: undefined (plain HTTP)', () => {
    assert.equal(loadTlsOptions({}), undefined);
    assert.equal(loadTlsOptions({ TLS_CERT_FILE: '', TLS_KEY_FILE: ' ' }), undefined);
  });

  test('both: the PEM contents', () => {
    const tls = loadTlsOptions({ TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile });
    assert.ok(tls?.cert.toString().includes('BEGIN CERTIFICATE'));
    assert.ok(tls?.key.toString().includes('PRIVATE KEY'));
  });

  test('only one: an error naming the missing variable', () => {
    assert.throws(() => loadTlsOptions({ TLS_CERT_FILE: cert.certFile }), /TLS_KEY_FILE is not/);
    assert.throws(() => loadTlsOptions({ TLS_KEY_FILE: cert.keyFile }), /TLS_CERT_FILE is not/);
  });

  test('unreadable or not PEM: an error naming the variable and file', () => {
    const missing = join(cert.dir, 'missing.pem');
    assert.throws(
      () => loadTlsOptions({ TLS_CERT_FILE: missing, TLS_KEY_FILE: cert.keyFile }),
      (err: Error) => err.message.startsWith(`TLS_CERT_FILE=${missing} cannot be read`),
    );
    const junk = join(cert.dir, 'junk.pem');
    writeFileSync(junk, 'hello');
    assert.throws(
      () => loadTlsOptions({ TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: junk }),
      /TLS_KEY_FILE=.* is not a PEM private key/,
    );
    // the key where the certificate belongs
    assert.throws(
      () => loadTlsOptions({ TLS_CERT_FILE: cert.keyFile, TLS_KEY_FILE: cert.keyFile }),
      /TLS_CERT_FILE=.* is not a PEM certificate/,
    );
  });
});

describe('hstsHeader', () => {
  test('max-age with includeSubDomains; nonsense refused', () => {
    assert.equal(hstsHeader(31_536_000), 'max-age=31536000; includeSubDomains');
    assert.equal(hstsHeader(0), 'max-age=0; includeSubDomains');
    assert.throws(() => hstsHeader(-1), RangeError);
    assert.throws(() => hstsHeader(1.5), RangeError);
  });
});

/** The gateway's server as buildGateway makes it: the chassis app, the edge options and hooks. */
async function edgeApp(options: { tls?: { cert: Buffer; key: Buffer } | undefined; trustedProxies: string }) {
  const app = await createApp({
    service: 'edge-tls-test',
    version: '0',
    logLevel: 'silent',
    bodyLimit: DEFAULT_EDGE_LIMITS.bodyLimitBytes,
    serverOptions: edgeFastifyOptions(DEFAULT_EDGE_LIMITS, options.tls),
  });
  registerEdgeHooks(app, {
    cors: () => undefined,
    limits: DEFAULT_EDGE_LIMITS,
    metricsAllow: '127.0.0.0/8',
    trustedProxies: parseTrustedProxies(options.trustedProxies),
    tls: options.tls !== undefined,
    hsts: hstsHeader(31_536_000),
  });
  return app;
}

describe('HSTS over plain HTTP', () => {
  const hello = async (trustedProxies: string, headers: Record<string, string> = {}) => {
    const app = await edgeApp({ trustedProxies });
    app.get('/hello', async () => ({ ok: true }));
    try {
      const res = await app.inject({ url: '/hello', headers, remoteAddress: '127.0.0.1' });
      assert.equal(res.statusCode, 200);
      return res.headers['strict-transport-security'];
    } finally {
      await app.close();
    }
  };

  test('none on a plain-HTTP answer, whatever an untrusted client says', async () => {
    assert.equal(await hello(''), undefined);
    assert.equal(await hello('', { 'x-forwarded-proto': 'https' }), undefined);
  });

  test('on the answer a trusted proxy took over HTTPS (X-Forwarded-Proto: https), not over HTTP', async () => {
    assert.equal(await hello('127.0.0.1/32', { 'x-forwarded-proto': 'https' }), hstsHeader(31_536_000));
    assert.equal(await hello('127.0.0.1/32', { 'x-forwarded-proto': 'http' }), undefined);
    assert.equal(await hello('127.0.0.1/32'), undefined);
  });
});

describe('HTTPS server from the certificate files', () => {
  let app: App;
  let port: number;
  before(async () => {
    const tls = loadTlsOptions({ TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile });
    app = await edgeApp({ tls, trustedProxies: '' });
    app.get('/hello', async (request) => ({ encrypted: 'encrypted' in request.raw.socket }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  after(() => app.close());

  test('serves over TLS with the generated certificate, with HSTS', async () => {
    const answer = await new Promise<{ status: number; hsts: unknown; body: string; protocol: string }>(
      (resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, path: '/hello', servername: 'localhost', ca: loadCa(), agent: false },
          (res) => {
            const protocol = (res.socket as import('node:tls').TLSSocket).getProtocol() ?? '';
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              body += c;
            });
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                hsts: res.headers['strict-transport-security'],
                body,
                protocol,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { encrypted: true });
    assert.equal(answer.hsts, 'max-age=31536000; includeSubDomains');
    assert.match(answer.protocol, /^TLSv1\.[23]$/);
  });

  test('a client that does not trust the certificate fails the handshake', async () => {
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, path: '/hello', servername: 'localhost', agent: false },
          resolve,
        );
        req.on('error', reject);
        req.end();
      }),
      (err: NodeJS.ErrnoException) => err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
  });

  test('the edge limits hold over TLS too (Fastify passes only `https` to the server): 431', async () => {
    assert.equal(
      (app.server as unknown as { maxHeaderSize: number }).maxHeaderSize,
      DEFAULT_EDGE_LIMITS.maxHeaderBytes,
    );
    assert.equal(app.server.headersTimeout, DEFAULT_EDGE_LIMITS.headersTimeoutMs);
    const status = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: loadCa() }, () => {
        socket.write(
          `GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(DEFAULT_EDGE_LIMITS.maxHeaderBytes)}\r\n\r\n`,
        );
      });
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (c: string) => {
        text += c;
      });
      socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
    });
    assert.equal(status, 'HTTP/1.1 431 Request Header Fields Too Large');
  });

  function loadCa(): Buffer {
    return loadTlsOptions({ TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile })!.cert;
  }
});

describe('startHttpsRedirect', () => {
  let redirect: { close(): Promise<void>; port: number };
  before(async () => {
    redirect = await startHttpsRedirect({ port: 0, host: '127.0.0.1', httpsPort: 8443, logger: quietLogger });
  });
  after(() => redirect.close());

  function get(path: string, host: string, method = 'GET'): Promise<{ status: number; location: unknown }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: redirect.port, path, method, headers: { host }, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  test('308 to https on the HTTPS port, path and query kept, Host port dropped', async () => {
    assert.deepEqual(await get('/api/products?page=2', 'shop.example:8080'), {
      status: 308,
      location: 'https://shop.example:8443/api/products?page=2',
    });
    assert.deepEqual(await get('/', 'Shop.Example'), { status: 308, location: 'https://shop.example:8443/' });
    assert.deepEqual(await get('/x', '[::1]:80'), { status: 308, location: 'https://[::1]:8443/x' });
    assert.deepEqual(await get('/order', 'shop.example', 'POST'), {
      status: 308,
      location: 'https://shop.example:8443/order',
    });
  });

  test('port 443 is left out of the Location', async () => {
    const on443 = await startHttpsRedirect({
      port: 0,
      host: '127.0.0.1',
      httpsPort: 443,
      logger: quietLogger,
    });
    try {
      const answer = await rawRequest(
        on443.port,
        'GET /a/b?c=d HTTP/1.1\r\nHost: shop.example:80\r\nConnection: close\r\n\r\n',
      );
      assert.equal(answer.status, 308);
      assert.match(answer.text, /\r\nlocation: https:\/\/shop\.example\/a\/b\?c=d\r\n/i);
    } finally {
      await on443.close();
    }
  });

  test('missing or garbage Host → 400', async () => {
    for (const host of ['evil.example/@x', 'a b', 'shop.example:80x', '[::1', 'x'.repeat(300)]) {
      assert.equal((await get('/', host)).status, 400, JSON.stringify(host));
    }
    const noHost = await rawRequest(redirect.port, 'GET / HTTP/1.1\r\n\r\n');
    assert.equal(noHost.status, 400, noHost.text);
    const emptyHost = await rawRequest(redirect.port, 'GET / HTTP/1.1\r\nHost: \r\n\r\n');
    assert.equal(emptyHost.status, 400, emptyHost.text);
    const absolute = await rawRequest(
      redirect.port,
      'GET http://evil.example/ HTTP/1.1\r\nHost: shop.example\r\n\r\n',
    );
    assert.equal(absolute.status, 400, absolute.text);
  });

  test('hostnameOf', () => {
    assert.equal(hostnameOf('Shop.Example:8080'), 'shop.example');
    assert.equal(hostnameOf('127.0.0.1'), '127.0.0.1');
    assert.equal(hostnameOf('[2001:db8::1]:443'), '[2001:db8::1]');
    assert.equal(hostnameOf('[zz::1]'), undefined);
    assert.equal(hostnameOf('a_b.example'), undefined);
    assert.equal(hostnameOf(undefined), undefined);
  });
});
