// Size and time limits at the edge, and the request-smuggling check. Node's HTTP parser (llhttp,
// strict mode) already refuses with 400 and closes the connection, before any hook runs:
// Content-Length together with Transfer-Encoding, duplicate Content-Length (even equal ones), a
// non-numeric or list Content-Length, Transfer-Encoding where chunked is not last (`chunked,
// identity`) or that is not chunked at all in a request, two Transfer-Encoding lines, obs-fold
// (a header line starting with whitespace), whitespace before the colon, bare CR or LF, NUL and
// other control characters in values, bad chunk sizes and extensions, and a missing Host on
// HTTP/1.1 (requireHostHeader). Verified on Node 24 in test/edge-smuggling.test.ts.
// What llhttp lets through and `smugglingCheck` refuses: a transfer coding before chunked
// (`gzip, chunked`, which we could not pass on faithfully), Transfer-Encoding on HTTP/1.0, and
// several Host headers (RFC 9112 §3.2 says 400).
import type { IncomingHttpHeaders, ServerOptions } from 'node:http';
import { Transform } from 'node:stream';
import { AppError, commonErrors } from '@shopnow/chassis';

/** The edge limits: sizes in bytes, times in milliseconds. */
export interface EdgeLimits {
  /** Request target (path + query) length; longer → 414. */
  maxUrlLength: number;
  /** Request line + all header lines; more → 431 from Node's parser (the request line counts too). */
  maxHeaderBytes: number;
  /** Request body; more → 413. Routes may set a lower `bodyLimitBytes`. */
  bodyLimitBytes: number;
  /** Time for the whole header block to arrive, however it trickles in (slowloris) → 408. */
  headersTimeoutMs: number;
  /** Time for the whole request, body included, to arrive → 408. */
  requestTimeoutMs: number;
  /** How long an idle kept-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
}

/** url 8 KiB, headers 16 KiB, body 1 MiB, headers in 10 s, request in 30 s, keep-alive 5 s. */
export const DEFAULT_EDGE_LIMITS: EdgeLimits = Object.freeze({
  maxUrlLength: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
  bodyLimitBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
});

/**
 * How often Node sweeps connections for headersTimeout / requestTimeout. Node's default is 30 s,
 * which would let a slowloris client hold a socket for up to headersTimeout + 30 s; 1 s keeps the
 * bound tight at the cost of one timer tick per second.
 */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * The `node:http` / `node:https` server options that enforce `limits`. With Fastify pass them as
 * `http: edgeServerOptions(limits)` for plain HTTP, and spread them into the `https` object when
 * terminating TLS (Fastify gives `https.createServer` only its `https` option and ignores `http`).
 * Fastify itself must also get `requestTimeout` and `keepAliveTimeout` (it overwrites the server's
 * values with its own defaults, 0 = none and 72 s): see `edgeFastifyOptions`.
 */
export function edgeServerOptions(limits: EdgeLimits = DEFAULT_EDGE_LIMITS): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
    requireHostHeader: true,
    insecureHTTPParser: false,
  };
}

/**
 * The Fastify 5 factory options for `limits`, to spread into `fastify({...})`; `tls` (from
 * `loadTlsOptions`) switches to HTTPS with the same server options. `connectionTimeout` (socket
 * inactivity) is left at 0: the gateway waits on upstreams for up to a route's timeout with no
 * client traffic, and slow clients are bounded by headersTimeout/requestTimeout instead.
 */
export function edgeFastifyOptions(
  limits: EdgeLimits = DEFAULT_EDGE_LIMITS,
  tls?: { cert: Buffer; key: Buffer },
):
  | { bodyLimit: number; requestTimeout: number; keepAliveTimeout: number; http: ServerOptions }
  | {
      bodyLimit: number;
      requestTimeout: number;
      keepAliveTimeout: number;
      https: ServerOptions & { cert: Buffer; key: Buffer };
    } {
  const common = {
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
  const server = edgeServerOptions(limits);
  return tls === undefined ? { ...common, http: server } : { ...common, https: { ...server, ...tls } };
}

/** Whether the request target is longer than the limit (answer 414 `uri_too_long`). */
export function urlTooLong(url: string | undefined, limits: Pick<EdgeLimits, 'maxUrlLength'>): boolean {
  return url !== undefined && url.length > limits.maxUrlLength;
}

/**
 * Whether a declared Content-Length already exceeds `limitBytes` (answer 413 `body_too_large`
 * before reading a byte). A chunked body must still be counted while streaming (`bodyLimiter`).
 */
export function contentLengthTooLarge(headers: IncomingHttpHeaders, limitBytes: number): boolean {
  const declared = headers['content-length'];
  return declared !== undefined && Number(declared) > limitBytes;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// CR/LF inside a value is obs-fold or header injection; NUL and other controls are never valid.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * A reason to refuse the request as ambiguous framing (answer 400 and close the connection), or
 * undefined. Call it first thing for every request with `req.headers`, `req.rawHeaders` and
 * `req.httpVersion`. Belt to llhttp's braces: it re-checks what the parser refuses, in case a
 * parser option (insecureHTTPParser, a lenient flag) is ever switched on, and adds the cases
 * llhttp accepts (see the file comment).
 */
export function smugglingCheck(
  headers: IncomingHttpHeaders,
  rawHeaders: string[],
  httpVersion = '1.1',
): string | undefined {
  let contentLengths = 0;
  let transferEncodings = 0;
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    if (!TOKEN.test(name)) return `invalid header name ${JSON.stringify(name)}`;
    if (CONTROL.test(value)) return `control character in header ${name}`;
    // Only names of the three lengths that matter are lower-cased (no string per header).
    const length = name.length;
    if (length !== 4 && length !== 14 && length !== 17) continue;
    const lower = name.toLowerCase();
    if (lower === 'content-length') contentLengths++;
    else if (lower === 'transfer-encoding') transferEncodings++;
    else if (lower === 'host') hosts++;
  }
  if (hosts > 1) return 'more than one Host header';
  if (contentLengths > 1) return 'more than one Content-Length header';
  const cl = headers['content-length'];
  if (cl !== undefined && !/^\d{1,15}$/.test(cl)) return 'Content-Length is not a number';
  if (transferEncodings === 0) return undefined;
  if (contentLengths > 0) return 'both Content-Length and Transfer-Encoding';
  if (transferEncodings > 1) return 'more than one Transfer-Encoding header';
  if (httpVersion !== '1.1') return `Transfer-Encoding in an HTTP/${httpVersion} request`;
  const te = headers['transfer-encoding'];
  if (te === undefined || te.trim().toLowerCase() !== 'chunked') {
    return `Transfer-Encoding ${JSON.stringify(te ?? '')} is not exactly "chunked"`;
  }
  return undefined;
}

/**
 * A pass-through stream for a request body that fails with 413 `body_too_large` (an AppError)
 * once more than `limitBytes` have flowed: the guard for bodies streamed to an upstream without
 * Fastify's parsers (which enforce `bodyLimit` only for bodies they parse), chunked ones included.
 */
export function bodyLimiter(limitBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limitBytes) {
        callback(
          new AppError(commonErrors.body_too_large, `the request body is larger than ${limitBytes} bytes`),
        );
      } else {
        callback(null, chunk);
      }
    },
  });
}
