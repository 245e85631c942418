import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { InstanceRegistry } from './registry.ts';

/**
 * The launcher's HTTP face on SHOPNOW_LAUNCHER_PORT: the registry API the
 * chassis's discovery client speaks, plus `GET /status` for `npm run status`.
 *
 *   PUT    /registry/services/:service/instances/:id  {url, ttlMs} → 200 (register/renew)
 *   DELETE /registry/services/:service/instances/:id               → 204
 *   GET    /registry/services/:service  → {service, instances: [{id, url, registeredAt, lastSeen}]}
 *   GET    /registry/services           → {services: {name: instances[]}}
 *   GET    /status                      → what runs where, with memory
 *   GET    /health                      → 200
 */
export interface ControlServerOptions {
  registry: InstanceRegistry;
  status?: () => Promise<unknown>;
}

const NAME = /^[A-Za-z0-9._:-]{1,128}$/;
const INSTANCE_PATH = /^\/registry\/services\/([^/]+)\/instances\/([^/]+)$/;
const SERVICE_PATH = /^\/registry\/services\/([^/]+)$/;
const MAX_BODY_BYTES = 16 * 1024;
export const TTL_BOUNDS = { min: 250, max: 600_000, default: 15_000 } as const;

class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

export function createControlServer(opts: ControlServerOptions): Server {
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => {
      const problem =
        err instanceof HttpProblem ? err : new HttpProblem(500, 'internal', 'the launcher failed to answer');
      sendProblem(res, new URL(req.url ?? '/', 'http://launcher').pathname, problem);
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}

/** Listens on 127.0.0.1 only: the registry is for local processes. Resolves the bound port. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function handle(opts: ControlServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://launcher').pathname;
  const method = req.method ?? 'GET';
  const { registry } = opts;

  const instance = INSTANCE_PATH.exec(path);
  if (instance) {
    const service = param(instance[1]!, 'service');
    const id = param(instance[2]!, 'id');
    if (method === 'PUT') {
      const body = parseRegistration(await readJson(req));
      const entry = registry.upsert(service, id, body);
      return sendJson(res, 200, {
        service,
        id,
        url: entry.url,
        ttlMs: entry.ttlMs,
        registeredAt: new Date(entry.registeredAt).toISOString(),
        lastSeen: new Date(entry.lastSeen).toISOString(),
      });
    }
    if (method === 'DELETE') {
      registry.remove(service, id);
      res.writeHead(204).end();
      return;
    }
    throw methodNotAllowed(method);
  }

  const one = SERVICE_PATH.exec(path);
  if (one) {
    if (method !== 'GET') throw methodNotAllowed(method);
    const service = param(one[1]!, 'service');
    return sendJson(res, 200, { service, instances: registry.instances(service) });
  }
  if (path === '/registry/services') {
    if (method !== 'GET') throw methodNotAllowed(method);
    return sendJson(res, 200, { services: registry.services() });
  }
  if (path === '/status' && opts.status) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return sendJson(res, 200, await opts.status());
  }
  if (path === '/health') return sendJson(res, 200, { status: 'ok' });
  throw new HttpProblem(404, 'route_not_found', `no route for ${method} ${path}`);
}

function param(raw: string, what: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    value = '';
  }
  if (!NAME.test(value)) {
    throw new HttpProblem(400, 'validation_failed', `${what} must match ${NAME.source}`);
  }
  return value;
}

function parseRegistration(body: unknown): { url: string; ttlMs: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpProblem(400, 'validation_failed', 'body must be a JSON object {url, ttlMs}');
  }
  const { url, ttlMs = TTL_BOUNDS.default, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new HttpProblem(400, 'validation_failed', `unknown field /${unknown[0]}`);
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new HttpProblem(400, 'validation_failed', '/url must be an http(s) URL');
  }
  if (
    typeof ttlMs !== 'number' ||
    !Number.isInteger(ttlMs) ||
    ttlMs < TTL_BOUNDS.min ||
    ttlMs > TTL_BOUNDS.max
  ) {
    throw new HttpProblem(
      400,
      'validation_failed',
      `/ttlMs must be an integer from ${TTL_BOUNDS.min} to ${TTL_BOUNDS.max}`,
    );
  }
  return { url: url as string, ttlMs };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpProblem(415, 'unsupported_media_type', 'send application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpProblem(413, 'body_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'invalid_json', 'body is not valid JSON');
  }
}

const methodNotAllowed = (method: string) =>
  new HttpProblem(405, 'method_not_allowed', `${method} not allowed here`);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function sendProblem(res: ServerResponse, instance: string, problem: HttpProblem): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify({
    type: `urn:shopnow:problem:${problem.code}`,
    title: problem.code.replaceAll('_', ' '),
    status: problem.status,
    detail: problem.message,
    instance,
    code: problem.code,
  });
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(payload),
    // Unread request bodies (413) must not poison a kept-alive connection.
    ...(problem.status === 413 ? { connection: 'close' } : {}),
  });
  res.end(payload);
}
