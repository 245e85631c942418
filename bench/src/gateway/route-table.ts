// The gateway's route table for the benchmark: one route, signed-in users only (every request
// verifies its bearer token), no cache, to one upstream; and a tier whose limit is far above any
// load this machine can offer, so the limiter charges a bucket on every request and never refuses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The benchmarked path, the same on every side. */
export const BENCH_PATH = '/api/items';
/** The bench user's tier: its limit is 100,000,000 requests per minute. */
export const BENCH_TIER = 'premium';
export const BENCH_TIER_LIMIT = 100_000_000;

/** Writes `<dir>/routes.json`; the gateway validates it against its schema at start. */
export function writeBenchRouteTable(dir: string): string {
  const table = {
    upstreams: { bench: { service: 'bench', connections: 64 } },
    routes: [
      {
        name: 'bench',
        match: { path: BENCH_PATH, methods: ['GET'] },
        rewrite: BENCH_PATH,
        upstream: 'bench',
        auth: 'user',
      },
    ],
    rateLimits: {
      tiers: {
        free: { limit: 100, windowSeconds: 60 },
        [BENCH_TIER]: { limit: BENCH_TIER_LIMIT, windowSeconds: 60 },
        enterprise: 'unlimited',
      },
      unlimitedRoles: ['admin'],
      anonymous: { limit: 60, windowSeconds: 60 },
    },
  };
  const file = join(dir, 'routes.json');
  writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  return file;
}

/** A constant JSON answer of about 200 bytes. */
export const UPSTREAM_BODY = JSON.stringify({
  ok: true,
  items: [
    { id: 'a1b2c3', name: 'Espresso cup', price: { amountMinor: 1299, currency: 'EUR' } },
    { id: 'd4e5f6', name: 'Milk jug', price: { amountMinor: 2450, currency: 'EUR' } },
  ],
  next: null,
});
