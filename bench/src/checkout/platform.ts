// The platform under test: `npm start` (the launcher) in a private home, exactly as the e2e runs
// it (e2e/src: sandbox, launcher, secrets, demo admin), with the gateway trusting loopback's
// X-Forwarded-For so each simulated customer is its own client address.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiCall, apiClient } from '../../../e2e/src/api-client.ts';
import { type CardProcessor, cardProcessor } from '../../../e2e/src/card-processor.ts';
import {
  createSandbox,
  type LauncherRun,
  type LauncherSandbox,
  runLauncher,
} from '../../../e2e/src/launcher-harness.ts';
import { adjustStock } from '../../../e2e/src/orders.ts';
import { demoAdminToken, type PlatformSecrets, readPlatformSecrets } from '../../../e2e/src/shoppers.ts';
import { waitUntil } from '../../../e2e/src/wait.ts';
import { Teardown } from '../teardown.ts';

const READY = /ShopNow is ready in [\s\S]*Stop\s+Ctrl-C/;
/** The card processor's port slot (tools/launcher/src/catalog.ts). */
const PAYMENT_PROVIDER_SLOT = 10;

export interface Product {
  id: string;
  sku: string;
  price: { amountMinor: number; currency: string };
}

export interface Platform {
  sandbox: LauncherSandbox;
  run: LauncherRun;
  api: ApiCall;
  secrets: PlatformSecrets & { postgres: { user: string; password: string } };
  processor: CardProcessor;
  adminToken: string;
  pgPort: number;
  /** Seconds from the launcher's start to "ready". */
  startSec: number;
}

/** Starts the whole platform; its stop (and the copy of its logs into runDir) goes on `teardown`. */
export async function startPlatform(
  teardown: Teardown,
  runDir: string,
  log: (line: string) => void,
  env: Record<string, string> = {},
): Promise<Platform> {
  // Ports are picked free, then bound by the services a few seconds later: on a machine where
  // other runs start at the same time, one may take a port first. Then start again on new ones.
  for (let attempt = 1; ; attempt++) {
    const own = new Teardown();
    try {
      const platform = await startOnce(own, runDir, log, env);
      teardown.add(() => own.run());
      return platform;
    } catch (err) {
      await own.run().catch(() => undefined);
      if (attempt >= 3 || !String(err).includes('EADDRINUSE')) throw err;
      log('platform: a port was taken by another process meanwhile; starting again on other ports');
    }
  }
}

async function startOnce(
  teardown: Teardown,
  runDir: string,
  log: (line: string) => void,
  env: Record<string, string>,
): Promise<Platform> {
  const sandbox = await createSandbox();
  teardown.add(() => sandbox.dispose());
  sandbox.env.TRUSTED_PROXIES = '127.0.0.0/8';
  Object.assign(sandbox.env, env);
  const started = Date.now();
  log(`platform: npm start in ${sandbox.home}`);
  const run = runLauncher(sandbox, ['start']);
  teardown.add(async () => {
    // Ctrl-C as a user stops it (services drain, Postgres shuts down); dispose kills what is left.
    run.child.kill('SIGINT');
    await Promise.race([run.exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
    await cp(join(sandbox.home, 'logs'), join(runDir, 'platform-logs'), { recursive: true }).catch(
      () => undefined,
    );
  });
  await run.waitFor(READY, 300_000);
  const startSec = Math.round((Date.now() - started) / 1000);
  log(`platform: ready in ${startSec}s`);
  const api = apiClient(sandbox.gatewayUrl);
  const secrets = (await readPlatformSecrets(sandbox.home)) as Platform['secrets'];
  const processor = cardProcessor(
    `http://127.0.0.1:${sandbox.basePort + 10 * PAYMENT_PROVIDER_SLOT}`,
    secrets.paymentProvider,
  );
  const adminToken = await demoAdminToken(api, secrets);
  return {
    sandbox,
    run,
    api,
    secrets,
    processor,
    adminToken,
    pgPort: Number(sandbox.env.SHOPNOW_PG_PORT),
    startSec,
  };
}

/** Priced products from the demo catalog, stocked by inventory and topped up by `units` each. */
export async function stockedProducts(platform: Platform, count: number, units: number): Promise<Product[]> {
  const { api, adminToken } = platform;
  const page = await api<{ items: Product[] }>('GET', '/api/products?limit=100');
  if (page.status !== 200) throw new Error(`products: ${page.status} ${page.text}`);
  const products = page.body.items.filter((p) => p.price.amountMinor > 0).slice(0, count);
  if (products.length === 0) throw new Error('the demo catalog has no priced product');
  // Inventory stocks each product as it hears of it (events from the seed): wait for all of them.
  const query = products.map((p) => `sku=${encodeURIComponent(p.sku)}`).join('&');
  await waitUntil(
    'the demo stock',
    () => api<{ unknown: string[] }>('GET', `/api/inventory/availability?${query}`),
    (r) => r.status === 200 && r.body.unknown.length === 0,
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  for (const product of products) await adjustStock(api, adminToken, product.sku, units);
  return products;
}
