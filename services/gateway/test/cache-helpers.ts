// Shared by the cache tests: a real HTTP upstream that counts its calls, a fetch through undici
// like the pipeline's, and a logger whose lines the test can read.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@shopnow/chassis';
import { request } from 'undici';
import type { Revalidation } from '../src/cache/types.ts';
import type { RouteCacheSettings } from '../src/routes/route-table-schema.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse, call: number) => void;

export interface Upstream {
  url: string;
  /** Requests received so far. */
  calls: number;
  /** Replaced by tests to change the answer. */
  handler: Handler;
  /** A fetch of `path` as the pipeline would do it (body read in full). */
  fetch(path?: string, headers?: Record<string, string>): () => Promise<Revalidation>;
  close(): Promise<void>;
}

/** Answers `{"call":n}` with the given headers by default. */
export function jsonHandler(headers: Record<string, string | string[]> = {}, delayMs = 0): Handler {
  return (_req, res, call) => {
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ call }));
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  };
}

export async function startUpstream(handler: Handler = jsonHandler()): Promise<Upstream> {
  const upstream: Upstream = {
    url: '',
    calls: 0,
    handler,
    fetch:
      (path = '/', headers = {}) =>
      async () => {
        const res = await request(`${upstream.url}${path}`, { method: 'GET', headers });
        const body = Buffer.from(await res.body.arrayBuffer());
        return { status: res.statusCode, headers: res.headers, body };
      },
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    upstream.calls++;
    upstream.handler(req, res, upstream.calls);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}

export const SETTINGS: RouteCacheSettings = { ttlSeconds: 30, tags: ['product'] };

/** A logger that keeps its lines (parsed) for assertions. */
export function recordingLogger(level = 'info'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    service: 'gateway-test',
    version: '0',
    level,
    stream: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

export const silentLogger = createLogger({ service: 'gateway-test', version: '0', level: 'silent' });

/** Polls until `condition` holds or fails after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/** The body as parsed JSON. */
export function json(response: { body: Buffer }): unknown {
  return JSON.parse(response.body.toString('utf8'));
}
