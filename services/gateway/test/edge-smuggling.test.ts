// Request smuggling and slow/oversized clients against a real Fastify server built with the edge
// options, over raw TCP: each ambiguous or abusive request must be refused (400/408/413/414/431)
// and the connection closed, so nothing after it on the socket can be read as a second request.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, test } from 'node:test';
import { type App, createApp } from '@shopnow/chassis';
import { parseTrustedProxies } from '../src/edge/client-ip.ts';
import {
  bodyLimiter,
  contentLengthTooLarge,
  DEFAULT_EDGE_LIMITS,
  type EdgeLimits,
  edgeFastifyOptions,
  smugglingCheck,
  urlTooLong,
} from '../src/edge/limits.ts';
import { registerEdgeHooks } from '../src/http/edge-hooks.ts';
import { rawRequest } from './fixtures/edge-raw-http.ts';

// The defaults, with timeouts short enough to observe in a test.
const limits: EdgeLimits = {
  ...DEFAULT_EDGE_LIMITS,
  bodyLimitBytes: 1024,
  headersTimeoutMs: 600,
  requestTimeoutMs: 2_000,
};

let app: App;
let port: number;
/** Requests that reached the handler, by path: proof a refused request never got there. */
const handled: string[] = [];

before(async () => {
  // The gateway's own server: the chassis app with the edge options and the edge hooks.
  app = await createApp({
    service: 'edge-test',
    version: '0',
    logLevel: 'silent',
    bodyLimit: limits.bodyLimitBytes,
    serverOptions: edgeFastifyOptions(limits),
  });
  registerEdgeHooks(app, {
    cors: () => undefined,
    limits,
    metricsAllow: '127.0.0.0/8',
    trustedProxies: parseTrustedProxies(''),
    tls: false,
    hsts: 'max-age=31536000; includeSubDomains',
  });
  // Bodies of any type, as the proxy scope takes them.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.all('/*', async (request) => {
      handled.push(request.url.slice(0, 40));
      return { ok: true, body: request.body ?? null };
    });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});

after(() => app.close());

function post(path: string, headers: string, body: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: gw.test\r\nContent-Type: text/plain\r\n${headers}\r\n${body}`;
}

describe('Fastify created with edgeFastifyOptions', () => {
  test('the Node server carries the limits (Fastify does not overwrite them)', () => {
    assert.equal(app.server.headersTimeout, limits.headersTimeoutMs);
    assert.equal(app.server.requestTimeout, limits.requestTimeoutMs);
    assert.equal(app.server.keepAliveTimeout, limits.keepAliveTimeoutMs);
    assert.equal((app.server as unknown as { maxHeaderSize: number }).maxHeaderSize, limits.maxHeaderBytes);
  });

  test('control: a well-formed chunked POST and a Content-Length POST are served on one connection', async () => {
    const chunked = post('/ok-chunked', 'Transfer-Encoding: chunked\r\n', '5\r\nhello\r\n0\r\n\r\n');
    const sized = post('/ok-sized', 'Content-Length: 5\r\nConnection: close\r\n', 'hello');
    const answer = await rawRequest(port, chunked + sized);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.text.match(/HTTP\/1\.1 200 OK/g)?.length, 2, answer.text);
    assert.ok(handled.includes('/ok-chunked') && handled.includes('/ok-sized'));
  });
});

describe('ambiguous framing is refused and the connection closed (Node llhttp)', () => {
  const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: gw.test\r\n\r\n';
  const cases: Record<string, string> = {
    'Content-Length + Transfer-Encoding: chunked': post(
      '/cl-te',
      'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n',
      `0\r\n\r\n${smuggled}`,
    ),
    'Transfer-Encoding: chunked + Content-Length': post(
      '/te-cl',
      'Transfer-Encoding: chunked\r\nContent-Length: 40\r\n',
      `0\r\n\r\n${smuggled}`,
    ),
    'two different Content-Length headers': post(
      '/two-cl',
      'Content-Length: 0\r\nContent-Length: 44\r\n',
      smuggled,
    ),
    'two equal Content-Length headers': post(
      '/two-cl-same',
      'Content-Length: 5\r\nContent-Length: 5\r\n',
      'hello',
    ),
    'Content-Length list "5, 5"': post('/cl-list', 'Content-Length: 5, 5\r\n', 'hello'),
    'Transfer-Encoding: chunked, identity': post(
      '/te-chunked-identity',
      'Transfer-Encoding: chunked, identity\r\n',
      `0\r\n\r\n${smuggled}`,
    ),
    'Transfer-Encoding: identity': post('/te-identity', 'Transfer-Encoding: identity\r\n', smuggled),
    'two Transfer-Encoding headers': post(
      '/two-te',
      'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n',
      `0\r\n\r\n${smuggled}`,
    ),
    'obs-fold header line': 'GET /obs-fold HTTP/1.1\r\nHost: gw.test\r\nX-Folded: one\r\n two\r\n\r\n',
    'obs-fold hiding Transfer-Encoding': post(
      '/obs-fold-te',
      'Transfer-Encoding:\r\n chunked\r\n',
      `0\r\n\r\n${smuggled}`,
    ),
    'space before the colon': post('/te-space', 'Transfer-Encoding : chunked\r\n', `0\r\n\r\n${smuggled}`),
    'bare LF line endings': 'GET /bare-lf HTTP/1.1\nHost: gw.test\n\n',
    'bare CR in a header value': 'GET /bare-cr HTTP/1.1\r\nHost: gw.test\r\nX-A: b\rc\r\n\r\n',
    'missing Host on HTTP/1.1': 'GET /no-host HTTP/1.1\r\n\r\n',
    'bad chunk size': post('/bad-chunk', 'Transfer-Encoding: chunked\r\n', '5 x\r\nhello\r\n0\r\n\r\n'),
  };
  test('parser refusals are problem+json (the chassis client error handler)', async () => {
    const answer = await rawRequest(port, cases['two different Content-Length headers'] ?? '', {
      end: false,
    });
    // Header names are case-insensitive; the chassis writes them capitalised on a raw socket.
    assert.match(answer.text, /\r\ncontent-type: application\/problem\+json; charset=utf-8\r\n/i);
    assert.match(answer.text, /\r\nconnection: close\r\n/i);
    assert.equal(JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4)).code, 'bad_request');
  });
  for (const [name, data] of Object.entries(cases)) {
    test(name, async () => {
      const answer = await rawRequest(port, data, { end: false });
      assert.equal(answer.status, 400, answer.text);
      assert.ok(answer.closedByServer, 'the server must close the connection');
      // `Transfer-Encoding: identity` reaches the app (llhttp reports it only when the body would
      // start), so our hook answers first and Node's parser error adds a second 400: never a 2xx.
      assert.doesNotMatch(answer.text, /HTTP\/1\.1 [23]\d\d/, answer.text);
      const path = /^\w+ (\S+)/.exec(data)?.[1] ?? '';
      assert.ok(!handled.includes(path) && !handled.includes('/smuggled'), 'nothing reached the handler');
    });
  }
});

describe('framing llhttp accepts but smugglingCheck refuses', () => {
  const cases: Record<string, string> = {
    'Transfer-Encoding: gzip, chunked': post('/te-gzip', 'Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'),
    'Transfer-Encoding on HTTP/1.0':
      'POST /te-http10 HTTP/1.0\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'two Host headers': 'GET /two-host HTTP/1.1\r\nHost: gw.test\r\nHost: evil.test\r\n\r\n',
  };
  for (const [name, data] of Object.entries(cases)) {
    test(name, async () => {
      const path = /^\w+ (\S+)/.exec(data)?.[1] ?? '';
      const answer = await rawRequest(port, data, { end: false });
      assert.equal(answer.status, 400, answer.text);
      assert.ok(answer.closedByServer, 'connection: close must close it');
      assert.ok(!handled.includes(path), `${path} must not reach the handler`);
    });
  }
});

describe('size limits', () => {
  test('a URL over maxUrlLength (but within the header limit) → 414 from urlTooLong', async () => {
    const path = `/long-${'a'.repeat(limits.maxUrlLength)}`;
    const answer = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: gw.test\r\n\r\n`, { end: false });
    assert.equal(answer.status, 414, answer.text);
    assert.ok(!handled.some((p) => p.startsWith('/long-')));
    // and one just at the limit passes
    const fits = `/fits-${'a'.repeat(limits.maxUrlLength - 6)}`;
    assert.equal(fits.length, limits.maxUrlLength);
    const ok = await rawRequest(port, `GET ${fits} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n`);
    assert.equal(ok.status, 200, ok.text.slice(0, 200));
  });

  test('a URL longer than the whole header limit → 431 from Node before any hook', async () => {
    const answer = await rawRequest(
      port,
      `GET /${'a'.repeat(limits.maxHeaderBytes)} HTTP/1.1\r\nHost: gw.test\r\n\r\n`,
      {
        end: false,
      },
    );
    assert.equal(answer.status, 431, answer.text);
    assert.ok(answer.closedByServer);
  });

  test('headers over maxHeaderBytes → 431 and closed', async () => {
    const big = `X-Big: ${'b'.repeat(limits.maxHeaderBytes)}\r\n`;
    const answer = await rawRequest(port, `GET /big HTTP/1.1\r\nHost: gw.test\r\n${big}\r\n`, { end: false });
    assert.equal(answer.status, 431, answer.text);
    assert.ok(answer.closedByServer);
    assert.ok(!handled.includes('/big'));
    assert.match(answer.text, /"code":"headers_too_large"/);
  });

  test('a declared body over bodyLimitBytes → 413 before it is read', async () => {
    const answer = await rawRequest(
      port,
      post('/too-big', `Content-Length: ${limits.bodyLimitBytes + 1}\r\n`, 'x'),
      {
        end: false,
      },
    );
    assert.equal(answer.status, 413, answer.text);
    assert.ok(answer.closedByServer);
  });

  test('a chunked body over bodyLimit → 413 from Fastify’s parser', async () => {
    const chunk = 'x'.repeat(limits.bodyLimitBytes + 1);
    const body = `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`;
    const answer = await rawRequest(
      port,
      post('/too-big-chunked', 'Transfer-Encoding: chunked\r\nConnection: close\r\n', body),
    );
    assert.equal(answer.status, 413, answer.text);
  });
});

describe('slow clients', () => {
  test('slowloris: headers dribbled past headersTimeout → 408 and closed, though bytes kept coming', async () => {
    const answer = await rawRequest(port, 'GET /slowloris HTTP/1.1\r\nHost: gw.test\r\n', {
      drip: { everyMs: 100, next: (i) => `X-Drip-${i}: a\r\n` },
    });
    assert.equal(answer.status, 408, answer.text);
    assert.ok(answer.closedByServer);
    assert.match(answer.text, /"code":"request_timeout"/);
    // headersTimeout plus at most one connection sweep (1 s) and some slack
    assert.ok(
      answer.ms >= limits.headersTimeoutMs - 50 && answer.ms < limits.headersTimeoutMs + 1_800,
      `${answer.ms} ms`,
    );
    assert.ok(!handled.includes('/slowloris'));
  });

  test('a body dribbled past requestTimeout → 408 and closed', async () => {
    const answer = await rawRequest(port, post('/slow-body', 'Content-Length: 1000\r\n', ''), {
      drip: { everyMs: 100, next: () => 'x' },
    });
    assert.equal(answer.status, 408, answer.text);
    assert.ok(answer.closedByServer);
    assert.ok(answer.ms < limits.requestTimeoutMs + 1_800, `${answer.ms} ms`);
  });

  test('control: headers that trickle in within headersTimeout are served', async () => {
    const answer = await rawRequest(port, 'GET /trickle HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n', {
      drip: { everyMs: 100, next: (i) => (i < 3 ? `X-Drip-${i}: a\r\n` : i === 3 ? '\r\n' : '') },
    });
    assert.equal(answer.status, 200, answer.text);
  });
});

describe('smugglingCheck on its own (the belt, if llhttp ever runs lenient)', () => {
  const check = (raw: string[], version = '1.1') => {
    const headers: IncomingHttpHeaders = {};
    for (let i = 0; i < raw.length; i += 2) {
      const name = (raw[i] ?? '').toLowerCase();
      headers[name] = headers[name] === undefined ? (raw[i + 1] ?? '') : `${headers[name]}, ${raw[i + 1]}`;
    }
    return smugglingCheck(headers, raw, version);
  };

  test('accepts ordinary requests', () => {
    assert.equal(check(['Host', 'a', 'Content-Length', '12']), undefined);
    assert.equal(check(['Host', 'a', 'Transfer-Encoding', 'Chunked']), undefined);
    assert.equal(check(['Host', 'a', 'X-Tab', 'a\tb']), undefined);
  });

  test('refuses every ambiguous form with a reason', () => {
    const refused: Array<[string[], RegExp, string?]> = [
      [
        ['Host', 'a', 'Content-Length', '5', 'Transfer-Encoding', 'chunked'],
        /both Content-Length and Transfer-Encoding/,
      ],
      [['Host', 'a', 'Content-Length', '5', 'Content-Length', '6'], /more than one Content-Length/],
      [['Host', 'a', 'Content-Length', '5, 5'], /not a number/],
      [['Host', 'a', 'Transfer-Encoding', 'chunked, identity'], /not exactly "chunked"/],
      [['Host', 'a', 'Transfer-Encoding', 'gzip, chunked'], /not exactly "chunked"/],
      [
        ['Host', 'a', 'Transfer-Encoding', 'chunked', 'Transfer-Encoding', 'chunked'],
        /more than one Transfer-Encoding/,
      ],
      [['Host', 'a', 'Transfer-Encoding', 'chunked'], /HTTP\/1\.0/, '1.0'],
      [['Host', 'a', 'Host', 'b'], /more than one Host/],
      [['Host', 'a', 'X-Fold', 'one\r\n two'], /control character/],
      [['Host', 'a', 'X-Nul', 'a\u0000b'], /control character/],
      [['Host', 'a', 'Transfer-Encoding ', 'chunked'], /invalid header name/],
    ];
    for (const [raw, reason, version] of refused)
      assert.match(check(raw, version) ?? 'accepted', reason, raw.join('|'));
  });
});

describe('bodyLimiter', () => {
  test('passes a body within the limit and fails with 413 past it', async () => {
    const sink = new PassThrough();
    sink.resume();
    await pipeline(Readable.from([Buffer.alloc(600), Buffer.alloc(424)]), bodyLimiter(1024), sink);
    await assert.rejects(
      pipeline(
        Readable.from([Buffer.alloc(600), Buffer.alloc(425)]),
        bodyLimiter(1024),
        new PassThrough().resume(),
      ),
      (err: Error & { status?: number }) => err.status === 413,
    );
  });
});
