import assert from 'node:assert/strict';
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

/** The token service's grace window for a concurrent refresh (services/token README). */
const REFRESH_GRACE_MS = 10_000;

interface JsonResponse {
  status: number;
  body: unknown;
}

async function asJson(res: Response): Promise<JsonResponse> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const postJson = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(asJson);
const postAs = (url: string, token: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }).then(asJson);
const getAs = (url: string, token: string) =>
  fetch(url, { headers: { authorization: `Bearer ${token}` } }).then(asJson);

/** Retries `call` until `done` holds or 10 s pass (events and revocations take a moment to arrive). */
async function eventually<T>(call: () => Promise<T>, done: (result: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let result = await call();
  while (!done(result) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    result = await call();
  }
  return result;
}

/** The roles claim of an access token (read, not verified: the services verify it). */
function rolesOf(token: string): string[] {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    roles?: string[];
  };
  return payload.roles ?? [];
}

/** A demo account's password as `npm start` printed it. */
function demoPassword(output: string, email: string): string {
  const match = new RegExp(`${email.replace(/[.]/g, '\\.')}\\s+(\\S+)\\s+\\w+`).exec(output);
  assert.ok(match, `npm start printed no password for ${email}`);
  return match[1]!;
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
  /** Base URL of a service's first replica by its launcher slot (auth 2, token 3, user 4, profile 5). */
  const url = (slot: number) => `http://127.0.0.1:${sandbox.basePort + 10 * slot}`;
  /**
   * An access token of the demo admin. The admin role reaches the token service as an event after
   * the seed, so a login in the first moments may still get a customer's token: log in until not.
   */
  const adminAccessToken = async (output: string): Promise<string> => {
    const password = demoPassword(output, 'admin@shopnow.local');
    const login = await eventually(
      () => postJson(`${url(2)}/login`, { email: 'admin@shopnow.local', password }),
      (r) => r.status === 200 && rolesOf((r.body as { accessToken: string }).accessToken).includes('admin'),
    );
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return (login.body as { accessToken: string }).accessToken;
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
    const adminToken = await adminAccessToken(run!.output());
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

  it('identity: demo login → protected call → refresh → reuse revokes the family → denied within seconds', async () => {
    const out = run!.output();
    const alice = demoPassword(out, 'alice@shopnow.local');
    const login = await postJson(`${url(2)}/login`, { email: 'alice@shopnow.local', password: alice });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const first = login.body as { accessToken: string; refreshToken: string };
    const me = await eventually(
      () => getAs(`${url(4)}/users/me`, first.accessToken),
      (r) => r.status === 200,
    );
    assert.equal((me.body as { email: string }).email, 'alice@shopnow.local');

    const refreshed = await postJson(`${url(3)}/sessions/refresh`, { refreshToken: first.refreshToken });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const second = refreshed.body as { accessToken: string; refreshToken: string };
    assert.equal((await getAs(`${url(4)}/users/me`, second.accessToken)).status, 200);

    // Past the grace window for concurrent refreshes, reusing the rotated token is theft.
    await new Promise((r) => setTimeout(r, REFRESH_GRACE_MS + 500));
    const reused = await postJson(`${url(3)}/sessions/refresh`, { refreshToken: first.refreshToken });
    assert.equal(reused.status, 401, JSON.stringify(reused.body));
    const denied = await eventually(
      () => getAs(`${url(4)}/users/me`, second.accessToken),
      (r) => r.status === 401,
    );
    assert.equal(denied.status, 401, 'the revoked session is refused before its token expires');
    const again = await postJson(`${url(3)}/sessions/refresh`, { refreshToken: second.refreshToken });
    assert.equal(again.status, 401, 'the whole family is revoked');
  });

  it('identity: a new customer registers and logs in; an admin suspends a customer, whose next call is denied', async () => {
    const out = run!.output();
    const email = `carol-${Date.now()}@example.com`;
    const password = 'correct horse battery staple 42';
    const registered = await postJson(`${url(2)}/register`, { email, password, displayName: 'Carol' });
    assert.equal(registered.status, 202, JSON.stringify(registered.body));
    const carol = await postJson(`${url(2)}/login`, { email, password });
    assert.equal(carol.status, 200, JSON.stringify(carol.body));
    const carolToken = (carol.body as { accessToken: string }).accessToken;
    const carolMe = await eventually(
      () => getAs(`${url(4)}/users/me`, carolToken),
      (r) => r.status === 200,
    );
    const carolId = (carolMe.body as { id: string }).id;
    assert.equal((await getAs(`${url(5)}/profiles/me/preferences`, carolToken)).status, 200);

    const adminToken = await adminAccessToken(out);
    const suspended = await postAs(`${url(4)}/admin/users/${carolId}/suspend`, adminToken, { reason: 'e2e' });
    assert.ok(suspended.status === 200 || suspended.status === 204, JSON.stringify(suspended.body));
    const denied = await eventually(
      () => getAs(`${url(4)}/users/me`, carolToken),
      (r) => r.status === 401,
    );
    assert.equal(denied.status, 401, "a suspended user's token is refused within seconds");
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
    assert.match(out, /TOTAL\s+\d+\s+[\d.]+ [MG]iB\s+[\d.]+ [MG]iB/);
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
