import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createSandbox,
  isAlive,
  type LauncherRun,
  type LauncherSandbox,
  pidsWithEnv,
  runLauncher,
  survivors,
} from '../src/index.ts';

// `npm start` exactly as a user runs it, in a private home on private ports:
// first start (initdb, migrate, seed) → browse and search → SIGKILL the product
// process → SIGTERM the launcher → start again on the same data → SIGKILL the
// launcher itself → nothing may be left behind, and the next start is clean.

interface Product {
  id: string;
  name: string;
  category: string;
  price: { amountMinor: number; currency: string };
}
interface StatusRow {
  service: string;
  instance: string;
  pid?: number;
  status: string;
  rssBytes?: number;
}

// The headline and the table after it (the launcher prints them in one write).
const READY = /ShopNow is ready in [\s\S]*Stop\s+Ctrl-C/;

describe('launcher end to end', { timeout: 240_000 }, () => {
  let sandbox: LauncherSandbox;
  let run: LauncherRun | undefined;
  let productUrl: string;
  let firstIds: string[] = [];
  // A price changed through the admin API on the first run; a re-seed or lost data would undo it.
  let repriced: { id: string; amountMinor: number } | undefined;

  const status = async (): Promise<StatusRow[]> => {
    const res = await fetch(`${sandbox.launcherUrl}/status`);
    return ((await res.json()) as { processes: StatusRow[] }).processes;
  };
  const getJson = async <T>(url: string): Promise<T> => {
    const res = await fetch(url);
    assert.equal(res.status, 200, `${url} answered ${res.status}`);
    return (await res.json()) as T;
  };
  const allProducts = async (): Promise<Product[]> => {
    const products: Product[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { items: Product[]; nextCursor: string | null } = await getJson(
        `${productUrl}/products?limit=100${query}`,
      );
      products.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && products.length < 10_000);
    return products;
  };
  /** Every pid this run owns right now: launcher, postgres and its backends, services, watchdog. */
  const ownedPids = () => pidsWithEnv('SHOPNOW_HOME', sandbox.home);
  /** What is still alive after `ms` (processes take a moment to die after their signal). */
  const leftAfter = async (ms: number) => {
    const deadline = Date.now() + ms;
    let left = await ownedPids();
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      left = await ownedPids();
    }
    return left;
  };

  const start = async (args: string[] = []) => {
    const began = Date.now();
    run = runLauncher(sandbox, ['start', ...args]);
    await run.waitFor(READY, 90_000);
    return Date.now() - began;
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    const current = run!;
    const pids = [...(await ownedPids()), current.child.pid!];
    current.child.kill(signal);
    const exit = await current.exited;
    run = undefined;
    return { exit, pids, output: current.output() };
  };

  before(async () => {
    sandbox = await createSandbox();
    productUrl = `http://127.0.0.1:${sandbox.productPort}`;
  });

  after(async () => {
    run?.child.kill('SIGKILL');
    await sandbox?.dispose();
  });

  it('first start: ready in under 30 s, with a seeded catalog and a table of what runs where', async () => {
    const elapsed = await start();
    const out = run!.output();
    assert.ok(elapsed < 30_000, `first start took ${elapsed} ms:\n${out}`);
    assert.match(out, /creating the database cluster/);
    assert.match(out, /product-1\s+ready on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, new RegExp(`Open\\s+${productUrl}/products`));
    assert.match(out, /SERVICE\s+INSTANCE\s+PID\s+URL\s+STATUS/);

    const products = await allProducts();
    assert.ok(products.length >= 60, `only ${products.length} products`);
    assert.ok(new Set(products.map((p) => p.category)).size >= 6, 'at least 6 categories');
    firstIds = products.map((p) => p.id).sort();

    const target = products[0]!;
    const { adminToken } = JSON.parse(await readFile(join(sandbox.home, 'secrets.json'), 'utf8')) as {
      adminToken: string;
    };
    const amountMinor = target.price.amountMinor + 1234;
    const res = await fetch(`${productUrl}/admin/products/${target.id}/price`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amountMinor, currency: target.price.currency }),
    });
    assert.equal(res.status, 200, await res.text());
    repriced = { id: target.id, amountMinor };

    const registered = await getJson<{ instances: Array<{ id: string; url: string }> }>(
      `${sandbox.launcherUrl}/registry/services/product`,
    );
    assert.deepEqual(
      registered.instances.map((i) => [i.id, i.url]),
      [['product-1', productUrl]],
    );
  });

  it('search puts the headphones first, also when misspelt', async () => {
    for (const q of ['wireless headphones', 'wireles hedphones']) {
      const result = await getJson<{ items: Product[] }>(
        `${productUrl}/products/search?q=${encodeURIComponent(q)}`,
      );
      assert.match(result.items[0]?.name ?? '(nothing found)', /headphones/i, `search "${q}"`);
    }
  });

  it('a SIGKILLed product process is restarted and answering within 5 s', async () => {
    const before = (await status()).find((row) => row.instance === 'product-1');
    assert.ok(before?.pid, 'status names the product pid');
    process.kill(before.pid, 'SIGKILL');
    const killedAt = Date.now();
    let answeredAfter: number | undefined;
    while (Date.now() - killedAt < 10_000) {
      const row = (await status()).find((r) => r.instance === 'product-1');
      if (row?.pid && row.pid !== before.pid && row.status === 'ready') {
        const res = await fetch(`${productUrl}/products?limit=1`).catch(() => undefined);
        if (res?.ok) {
          answeredAfter = Date.now() - killedAt;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(
      answeredAfter !== undefined && answeredAfter < 5000,
      `answering again after ${answeredAfter} ms`,
    );
    assert.equal(isAlive(before.pid), false);
    assert.match(run!.output(), /product-1\s+killed by SIGKILL/);
  });

  it('npm run status lists every process with its memory and the total', async () => {
    const statusRun = runLauncher(sandbox, ['status']);
    const { code } = await statusRun.exited;
    const out = statusRun.output();
    assert.equal(code, 0, out);
    for (const expected of [
      /launcher\s+launcher\s+\d+/,
      /postgres\s+postgres\s+\d+/,
      /product\s+product-1\s+\d+\s+\d+\s+ready/,
    ]) {
      assert.match(out, expected);
    }
    assert.match(out, /TOTAL\s+\d+\s+[\d.]+ MiB\s+[\d.]+ MiB/);
    const rows = await status();
    assert.ok(
      rows.every((row) => (row.rssBytes ?? 0) > 0),
      JSON.stringify(rows),
    );
  });

  it('SIGTERM stops everything (services first, PostgreSQL last) and exits 0', async () => {
    const { exit, pids, output } = await stopWith('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, output);
    assert.deepEqual(await survivors(pids, 2000), [], 'no orphaned postgres or node process');
    assert.deepEqual(await leftAfter(3000), [], 'nothing of this home may keep running');
    assert.match(output, /product\s+stopped 1 instance[\s\S]*postgres\s+stopped[\s\S]*stopped cleanly/);
  });

  it('a second start reuses the data (no initdb, no re-seed) and runs replicas', async () => {
    await start(['--replicas', 'product=2']);
    const out = run!.output();
    assert.doesNotMatch(out, /creating the database cluster/);
    const ids = (await allProducts()).map((p) => p.id).sort();
    assert.deepEqual(ids, firstIds, 'the same catalog, not a second copy');
    const kept = await getJson<Product>(`${productUrl}/products/${repriced!.id}`);
    assert.equal(kept.price.amountMinor, repriced!.amountMinor, 'the change made on the first run survived');
    const registered = await getJson<{ instances: Array<{ id: string }> }>(
      `${sandbox.launcherUrl}/registry/services/product`,
    );
    assert.deepEqual(registered.instances.map((i) => i.id).sort(), ['product-1', 'product-2']);
    const second = await getJson<{ items: Product[] }>(
      `http://127.0.0.1:${sandbox.productPort + 1}/products?limit=1`,
    );
    assert.equal(second.items.length, 1);
  });

  it('a SIGKILLed launcher leaves nothing running, and the next start is clean', async () => {
    const { exit, pids } = await stopWith('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL');
    assert.deepEqual(await survivors(pids, 15_000), [], 'its watchdog stops services and PostgreSQL');

    await start();
    assert.doesNotMatch(run!.output(), /✖/);
    assert.equal((await allProducts()).length, firstIds.length);
    const { exit: last, output } = await stopWith('SIGTERM');
    assert.deepEqual(last, { code: 0, signal: null }, output);
    assert.deepEqual(await leftAfter(3000), [], 'nothing of this home may keep running');
  });
});
