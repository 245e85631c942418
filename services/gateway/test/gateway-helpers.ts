// The whole gateway app (buildGateway) on a real port, in front of real node:http upstreams that
// record what reached them, with real Ed25519 tokens (TestTokenIssuer) and its own route table file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type App, createIdentity, createLogger, StaticDiscovery } from '@shopnow/chassis';
import { TestTokenIssuer } from '@shopnow/testkit';
import { buildGateway } from '../src/app.ts';
import type { GatewayConfig } from '../src/config.ts';

export interface Arrival {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Upstream {
  url: string;
  arrivals: Arrival[];
  /** What the upstream answers; default a JSON echo of the arrival. */
  answer: (arrival: Arrival) => { status?: number; headers?: Record<string, string>; body: unknown };
  /** Holds every answer this long (to make concurrent requests overlap). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const upstream: Upstream = {
    url: '',
    arrivals: [],
    answer: (arrival) => ({ body: { path: arrival.url, method: arrival.method } }),
    delayMs: 0,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const arrival = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      if (arrival.url !== '/health/ready') upstream.arrivals.push(arrival);
      const out = upstream.answer(arrival);
      const send = () => {
        res.writeHead(out.status ?? 200, { 'content-type': 'application/json', ...out.headers });
        res.end(JSON.stringify(out.body));
      };
      if (upstream.delayMs > 0 && arrival.url !== '/health/ready') setTimeout(send, upstream.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  upstream.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return upstream;
}

export const RATE_LIMITS = {
  tiers: {
    free: { limit: 100, windowSeconds: 60 },
    premium: { limit: 10_000, windowSeconds: 60 },
    enterprise: 'unlimited',
  },
  unlimitedRoles: ['admin'],
  anonymous: { limit: 1000, windowSeconds: 60 },
  buckets: { login: { limit: 5, windowSeconds: 60, key: 'ip' } },
} as const;

export interface GatewayFixture {
  app: App;
  url: string;
  issuer: TestTokenIssuer;
  routesFile: string;
  /** Every line the gateway logged, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** The route table (upstreams name services in `services`). */
  table: Record<string, unknown>;
  /** Service name → instance URLs. */
  services: Record<string, string[]>;
  issuer?: TestTokenIssuer;
  redisUrl?: string;
  config?: Partial<GatewayConfig>;
}

export async function startGateway(options: GatewayOptions): Promise<GatewayFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
  const routesFile = join(dir, 'routes.json');
  await writeFile(routesFile, JSON.stringify(options.table));
  const issuer = options.issuer ?? (await TestTokenIssuer.create());
  const logs: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') logs.push(JSON.parse(line));
      done();
    },
  });
  const config: GatewayConfig = {
    HOST: '127.0.0.1',
    PORT: 0,
    LOG_LEVEL: 'info',
    BODY_LIMIT_BYTES: 1_048_576,
    TOKEN_ISSUER: 'shopnow-token',
    TOKEN_AUDIENCE: 'shopnow',
    ROUTES_FILE: routesFile,
    REDIS_URL: options.redisUrl,
    TRUSTED_PROXIES: '',
    MAX_URL_LENGTH: 8192,
    MAX_HEADER_BYTES: 16_384,
    METRICS_ALLOW: '127.0.0.0/8',
    HSTS_MAX_AGE_SECONDS: 31_536_000,
    ...options.config,
  };
  const serviceUrls = Object.entries(options.services)
    .map(([name, urls]) => `${name}=${urls.join('|')}`)
    .join(',');
  const app = await buildGateway({
    config,
    discovery: new StaticDiscovery(serviceUrls),
    logger: createLogger({ service: 'gateway', version: 'test', level: 'info', stream }),
    identity: createIdentity({
      service: 'gateway',
      config,
      keys: issuer.keys,
      revocations: issuer.revocations,
      verifiedTokenCache: 10_000, // as the gateway's own identity kit
    }),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    issuer,
    routesFile,
    logs,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A route table entry with defaults for tests. */
export function route(name: string, path: string, rewrite: string, extra: Record<string, unknown> = {}) {
  return { name, match: { path }, rewrite, upstream: 'echo', auth: 'public', ...extra };
}

export const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
