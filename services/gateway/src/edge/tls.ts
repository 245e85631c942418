// TLS termination from certificate files, HSTS, and the optional plain-HTTP listener whose only
// job is to send browsers to HTTPS.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { CONNECTIONS_CHECKING_INTERVAL_MS, DEFAULT_EDGE_LIMITS } from './limits.ts';

/**
 * The certificate chain and private key (PEM files) named by `TLS_CERT_FILE` / `TLS_KEY_FILE`, or
 * undefined when neither is set (plain HTTP). Throws an Error naming the variable when only one is
 * set or a file cannot be read, so a half-configured TLS never starts as plain HTTP. Whether the
 * pair matches is checked by `tls.createSecureContext` when the server is created.
 */
export function loadTlsOptions(config: {
  TLS_CERT_FILE?: string | undefined;
  TLS_KEY_FILE?: string | undefined;
}): { cert: Buffer; key: Buffer } | undefined {
  const certFile = config.TLS_CERT_FILE?.trim() || undefined;
  const keyFile = config.TLS_KEY_FILE?.trim() || undefined;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined)
    throw new Error('TLS_KEY_FILE is set but TLS_CERT_FILE is not: set both or neither');
  if (keyFile === undefined)
    throw new Error('TLS_CERT_FILE is set but TLS_KEY_FILE is not: set both or neither');
  const cert = readPem(certFile, 'TLS_CERT_FILE', 'CERTIFICATE');
  const key = readPem(keyFile, 'TLS_KEY_FILE', 'PRIVATE KEY');
  return { cert, key };
}

/** The Strict-Transport-Security value: `max-age=<n>; includeSubDomains`. */
export function hstsHeader(maxAgeSeconds: number): string {
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new RangeError(
      `HSTS_MAX_AGE_SECONDS (the HSTS max-age) must be a whole number of seconds ≥ 0 (got ${maxAgeSeconds})`,
    );
  }
  return `max-age=${maxAgeSeconds}; includeSubDomains`;
}

/** Where `startHttpsRedirect` logs (a pino logger fits). */
export interface RedirectLogger {
  info(obj: object, msg: string): void;
}

/**
 * A tiny `node:http` server on `host:port` that answers every request with 308 to
 * `https://<Host without port>[:httpsPort]<path>` (port dropped when 443; 308 keeps the method and
 * body). A missing or malformed Host, or a target that is not a path, gets 400. Nothing is proxied.
 * Same slowloris and header-size limits as the gateway.
 */
export async function startHttpsRedirect(options: {
  port: number;
  host: string;
  httpsPort: number;
  logger: RedirectLogger;
}): Promise<{ close(): Promise<void>; port: number }> {
  const server = createServer(
    {
      maxHeaderSize: DEFAULT_EDGE_LIMITS.maxHeaderBytes,
      headersTimeout: DEFAULT_EDGE_LIMITS.headersTimeoutMs,
      requestTimeout: DEFAULT_EDGE_LIMITS.requestTimeoutMs,
      keepAliveTimeout: DEFAULT_EDGE_LIMITS.keepAliveTimeoutMs,
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
      // The redirect answers 400 itself when Host is missing, with a reason.
      requireHostHeader: false,
    },
    (req, res) => redirect(req, res, options.httpsPort),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  options.logger.info({ port, httpsPort: options.httpsPort }, 'http→https redirect listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function redirect(req: IncomingMessage, res: ServerResponse, httpsPort: number): void {
  const host = hostnameOf(req.headers.host);
  const path = req.url ?? '';
  if (host === undefined || !path.startsWith('/')) {
    const detail = host === undefined ? 'missing or malformed Host header' : 'request target is not a path';
    const body = JSON.stringify({
      type: 'urn:shopnow:problem:bad_request',
      title: 'Bad request',
      status: 400,
      detail,
      code: 'bad_request',
    });
    res.writeHead(400, {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body);
    return;
  }
  const location = `https://${host}${httpsPort === 443 ? '' : `:${httpsPort}`}${path}`;
  res.writeHead(308, { location, 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** The host part of a Host header (`name`, `1.2.3.4`, `[::1]`, each with an optional `:port`), or undefined. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined) return undefined;
  const text = hostHeader.trim();
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end === -1) return undefined;
    host = text.slice(0, end + 1);
    rest = text.slice(end + 1);
    if (isIP(host.slice(1, -1)) !== 6) return undefined;
  } else {
    const colon = text.indexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    rest = colon === -1 ? '' : text.slice(colon);
    if (!HOSTNAME.test(host)) return undefined;
  }
  if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
  return host.toLowerCase();
}

function readPem(file: string, variable: string, kind: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    throw new Error(`${variable}=${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  if (!pem.toString('latin1').includes(`-----BEGIN `) || !pem.toString('latin1').includes(kind)) {
    throw new Error(`${variable}=${file} is not a PEM ${kind.toLowerCase()} file`);
  }
  return pem;
}
