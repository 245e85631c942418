// product-read: GET /products/:id through the full chassis (logging, metrics, request id,
// security headers, validation, Postgres behind the service's cache) versus a bare Fastify
// route answering the same product as a constant. One process per side, same load,
// measured in interleaved rounds (compare.ts).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { residentMemoryMb } from './child.ts';
import { compare } from './compare.ts';
import type { LoadSettings } from './load.ts';
import { type BenchmarkResult, machine, type Side } from './report.ts';
import { firstDatabase, freshDatabase, repoRoot, startServer } from './servers.ts';
import { Teardown } from './teardown.ts';

const run = promisify(execFile);
const TARGET = 0.5;

export interface RunOptions extends LoadSettings {
  /** Where the server logs and the product body of this run go. */
  runDir: string;
  /** Progress lines (to stderr in the CLI). */
  log?: (line: string) => void;
}

export async function productRead(opts: RunOptions): Promise<BenchmarkResult> {
  const log = opts.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const teardown = new Teardown();
  try {
    const databaseUrl = await firstDatabase(teardown, log);
    // The service's event transport (postgres): idle during the run, but running, as in production.
    const busUrl = await freshDatabase(teardown);

    log('product: migrate and seed');
    const adminEnv = { ...process.env, DATABASE_URL: databaseUrl, BUS_DATABASE_URL: busUrl };
    await run(process.execPath, ['services/product/src/admin.ts', 'migrate'], {
      cwd: repoRoot,
      env: adminEnv,
    });
    await run(process.execPath, ['services/product/src/admin.ts', 'seed'], { cwd: repoRoot, env: adminEnv });

    const product = await startServer(teardown, opts.runDir, 'product', {
      args: ['--import', '@shopnow/chassis/tracing', 'services/product/src/main.ts'],
      env: {
        DATABASE_URL: databaseUrl,
        BUS_DATABASE_URL: busUrl,
        LOG_LEVEL: 'info',
        DISCOVERY: 'static',
      },
      readyPath: '/health/ready',
    });
    const productPath = `/products/${await someProductId(product.url)}`;
    const bodyFile = join(opts.runDir, 'product.json');
    writeFileSync(bodyFile, await fetchOk(`${product.url}${productPath}`));

    const baseline = await startServer(teardown, opts.runDir, 'baseline', {
      args: ['bench/src/baseline-server.ts'],
      env: { BENCH_BODY_FILE: bodyFile },
      readyPath: productPath,
    });

    const measured = await compare(
      { name: 'product', url: `${product.url}${productPath}` },
      { name: 'bare fastify', url: `${baseline.url}${productPath}` },
      opts,
      log,
    );
    const productSide: Side = {
      name: 'product',
      ...measured.subject,
      rssMb: residentMemoryMb(product.child),
    };
    const baselineSide: Side = {
      name: 'bare fastify',
      ...measured.baseline,
      rssMb: residentMemoryMb(baseline.child),
    };

    const { ratio } = measured;
    return {
      benchmark: 'product-read',
      startedAt,
      machine: machine(),
      settings: {
        connections: opts.connections,
        durationSec: opts.durationSec,
        warmupSec: opts.warmupSec,
        rounds: opts.rounds,
        pipelining: 1,
        processesPerSide: 1,
      },
      subject: productSide,
      baseline: baselineSide,
      rounds: measured.rounds,
      ratio,
      target: TARGET,
      pass: ratio >= TARGET,
    };
  } finally {
    await teardown.run();
  }
}

/** The id of a real, seeded product, found through the public list endpoint. */
async function someProductId(baseUrl: string): Promise<string> {
  const page = JSON.parse(await fetchOk(`${baseUrl}/products?limit=1`)) as {
    items?: Array<{ id?: unknown }>;
  };
  const id = page.items?.[0]?.id;
  if (typeof id !== 'string' && typeof id !== 'number')
    throw new Error('product-read: the seeded catalog is empty');
  return String(id);
}

async function fetchOk(url: string): Promise<string> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}: ${text.slice(0, 200)}`);
  return text;
}
