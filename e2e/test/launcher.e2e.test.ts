import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
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
import { type Caller, routeProbes } from '../src/route-probes.ts';

// `npm start` exactly as a user runs it, in a private home on private ports, every call through
// the gateway as a client makes it: first start (initdb, migrate, seed) → every route reaches its
// service, and only the gateway is reachable from outside → browse and search → SIGKILL the product
// process → SIGTERM the launcher → start again on the same data with two product replicas and kill
// one under load → SIGKILL the launcher itself → nothing may be left behind, the next start is clean.

interface Product {
  id: string;
  sku: string;
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

/** An upstream as the gateway's admin API shows it (the fields read here). */
interface UpstreamView {
  name: string;
  instances: Array<{ url: string; healthy: boolean; ejectedUntil?: number }>;
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
const getAs = (url: string, token: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } }).then(asJson);

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/** Whether anything accepts a connection at host:port (a refused or unroutable connect is false). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

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
  // The accounts table's row: email, password, role.
  const match = new RegExp(`${email.replace(/[.]/g, '\\.')}\\s+(\\S+)\\s+(?:admin|support|customer)\\b`).exec(
    output,
  );
  assert.ok(match, `npm start printed no password for ${email}`);
  return match[1]!;
}

// The headline and the table after it (the launcher prints them in one write).
const READY = /ShopNow is ready in [\s\S]*Stop\s+Ctrl-C/;

describe('launcher end to end', { timeout: 240_000 }, () => {
  let sandbox: LauncherSandbox;
  let run: LauncherRun | undefined;
  /** The gateway: the one public entry. */
  let api: string;
  let firstIds: string[] = [];
  let firstSku = '';
  // A price changed through the admin API on the first run; a re-seed or lost data would undo it.
  let repriced: { id: string; amountMinor: number } | undefined;

  const status = async (): Promise<StatusRow[]> => {
    const res = await fetch(`${sandbox.launcherUrl}/status`);
    return ((await res.json()) as { processes: StatusRow[] }).processes;
  };
  const loginToken = async (output: string, email: string): Promise<string> => {
    const login = await postJson(`${api}/api/auth/login`, { email, password: demoPassword(output, email) });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return (login.body as { accessToken: string }).accessToken;
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
        `${api}/api/products?limit=100${query}`,
      );
      products.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && products.length < 10_000);
    return products;
  };
  /**
   * An access token of the demo admin. The admin role reaches the token service as an event after
   * the seed, so a login in the first moments may still get a customer's token: log in until not.
   */
  const adminAccessToken = async (output: string): Promise<string> => {
    const password = demoPassword(output, 'admin@shopnow.local');
    const login = await eventually(
      () => postJson(`${api}/api/auth/login`, { email: 'admin@shopnow.local', password }),
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
    api = sandbox.gatewayUrl;
  });

  after(async () => {
    run?.child.kill('SIGKILL');
    await sandbox?.dispose();
  });

  it('first start: ready in under 30 s, with a seeded catalog and a table of what runs where', async () => {
    const elapsed = await start();
    const out = run!.output();
    const products = await allProducts();
    assert.ok(products.length >= 60, `only ${products.length} products`);
    assert.ok(new Set(products.map((p) => p.category)).size >= 6, 'at least 6 categories');
    firstIds = products.map((p) => p.id).sort();
    firstSku = products.find((p) => p.id === firstIds[0])!.sku;
    const target = products[0]!;
    const adminToken = await adminAccessToken(run!.output());
    const amountMinor = target.price.amountMinor + 1234;
    const res = await fetch(`${api}/api/admin/products/${target.id}/price`, {
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
      [['product-1', `http://127.0.0.1:${sandbox.productPort}`]],
    );
    // Checked after what later steps rely on, so a slow start fails only this step.
    assert.ok(elapsed < 30_000, `first start took ${elapsed} ms:\n${out}`);
    assert.match(out, /creating the database cluster/);
    assert.match(out, /product-1\s+ready on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, /gateway-1\s+ready on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, new RegExp(`Open\\s+${api}/api/products`));
    assert.match(out, /SERVICE\s+INSTANCE\s+PID\s+URL\s+STATUS/);
  });

  it('every route of the route table reaches its service through the gateway', async () => {
    const out = run!.output();
    const tokens: Record<Exclude<Caller, 'expendable'>, string | undefined> = {
      anonymous: undefined,
      admin: await adminAccessToken(out),
      customer: await loginToken(out, 'alice@shopnow.local'),
    };
    const table = JSON.parse(
      await readFile(new URL('../../services/gateway/routes.json', import.meta.url), 'utf8'),
    ) as { routes: Array<{ name: string }> };
    const probes = routeProbes({ productId: firstIds[0]!, sku: firstSku });
    const unprobed = table.routes.map((r) => r.name).filter((name) => !probes[name]);
    assert.deepEqual(unprobed, [], 'e2e/src/route-probes.ts needs a probe for each of these routes');
    for (const [name, probe] of Object.entries(probes)) {
      const token = probe.as === 'expendable' ? await loginToken(out, 'bob@shopnow.local') : tokens[probe.as];
      const res = await fetch(`${api}${probe.path}`, {
        method: probe.method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(probe.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(probe.body !== undefined ? { body: JSON.stringify(probe.body) } : {}),
      });
      const text = await res.text();
      assert.ok(
        probe.expect.includes(res.status),
        `route ${name}: ${probe.method} ${probe.path} answered ${res.status}, expected ${probe.expect.join('|')}: ${text}`,
      );
    }
  });

  it('inventory stocks every seeded product it hears of from the catalog', async () => {
    const products = await allProducts();
    const skus = products.map((p) => p.sku);
    const query = () =>
      fetch(
        `${api}/api/inventory/availability?${skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&')}`,
      ).then(asJson);
    const stocked = await eventually(query, (r) => (r.body as { unknown?: string[] })?.unknown?.length === 0);
    assert.equal(stocked.status, 200, JSON.stringify(stocked.body));
    const { items } = stocked.body as { items: Array<{ sku: string; available: number }> };
    assert.equal(items.length, skus.length);
    assert.ok(
      items.every((i) => i.available === 100),
      'the demo stock of every product',
    );
  });

  it('only the gateway is reachable from other machines; services listen on loopback', async (t) => {
    const address = externalAddress();
    if (!address) {
      t.skip('this machine has no non-loopback IPv4 address to test from');
      return;
    }
    assert.ok(
      await answers(`http://${address}:${sandbox.gatewayPort}/health/live`),
      'the gateway on every interface',
    );
    for (const slot of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const port = sandbox.basePort + 10 * slot;
      assert.ok(await answers(`http://127.0.0.1:${port}/health/live`), `a service on loopback :${port}`);
      assert.equal(
        await answers(`http://${address}:${port}/health/live`),
        false,
        `:${port} is not reachable at ${address}`,
      );
    }
  });

  it('a forged X-User-ID never reaches a service: the caller stays who the token says', async () => {
    const out = run!.output();
    const alice = await loginToken(out, 'alice@shopnow.local');
    const admin = await eventually(
      async () => getAs(`${api}/api/users/me`, await adminAccessToken(out)),
      (r) => r.status === 200,
    );
    const adminId = (admin.body as { id: string }).id;
    const me = await getAs(`${api}/api/users/me`, alice, {
      'x-user-id': adminId,
      'x-user-roles': 'admin',
      'x-internal-caller': 'token',
    });
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal((me.body as { email: string }).email, 'alice@shopnow.local');
    const staff = await getAs(`${api}/api/admin/users`, alice, { 'x-user-roles': 'admin' });
    assert.equal(staff.status, 403, 'a customer stays a customer whatever the headers say');
  });

  it('a cached product is purged within a second of a price change', async () => {
    const out = run!.output();
    const target = firstIds[1]!;
    const read = () => fetch(`${api}/api/products/${target}`);
    await (await read()).arrayBuffer();
    const cached = await read();
    const before = (await cached.json()) as Product;
    assert.equal(cached.headers.get('x-cache'), 'HIT');
    const adminToken = await adminAccessToken(out);
    const amountMinor = before.price.amountMinor + 100;
    const changed = await fetch(`${api}/api/admin/products/${target}/price`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amountMinor, currency: before.price.currency }),
    });
    assert.equal(changed.status, 200, await changed.text());
    const changedAt = Date.now();
    let seenAfter: number | undefined;
    while (Date.now() - changedAt < 3000) {
      const res = await read();
      if (((await res.json()) as Product).price.amountMinor === amountMinor) {
        seenAfter = Date.now() - changedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(seenAfter !== undefined && seenAfter < 1000, `the new price showed after ${seenAfter} ms`);
  });

  it('serves one merged OpenAPI document and the interactive docs page', async () => {
    const doc = await getJson<{ openapi: string; paths: Record<string, unknown> }>(`${api}/api/openapi.json`);
    assert.match(doc.openapi, /^3\.1/);
    for (const path of ['/api/products', '/api/auth/login', '/api/users/me', '/api/sessions']) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    const page = await fetch(`${api}/api/docs`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /openapi\.json/);
  });

  it('identity: demo login → protected call → refresh → reuse revokes the family → denied within seconds', async () => {
    const out = run!.output();
    const alice = demoPassword(out, 'alice@shopnow.local');
    const login = await postJson(`${api}/api/auth/login`, { email: 'alice@shopnow.local', password: alice });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const first = login.body as { accessToken: string; refreshToken: string };
    const me = await eventually(
      () => getAs(`${api}/api/users/me`, first.accessToken),
      (r) => r.status === 200,
    );
    assert.equal((me.body as { email: string }).email, 'alice@shopnow.local');

    const refreshed = await postJson(`${api}/api/auth/refresh`, { refreshToken: first.refreshToken });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const second = refreshed.body as { accessToken: string; refreshToken: string };
    assert.equal((await getAs(`${api}/api/users/me`, second.accessToken)).status, 200);

    // Past the grace window for concurrent refreshes, reusing the rotated token is theft.
    await new Promise((r) => setTimeout(r, REFRESH_GRACE_MS + 500));
    const reused = await postJson(`${api}/api/auth/refresh`, { refreshToken: first.refreshToken });
    assert.equal(reused.status, 401, JSON.stringify(reused.body));
    const denied = await eventually(
      () => getAs(`${api}/api/users/me`, second.accessToken),
      (r) => r.status === 401,
    );
    assert.equal(denied.status, 401, 'the revoked session is refused before its token expires');
    const again = await postJson(`${api}/api/auth/refresh`, { refreshToken: second.refreshToken });
    assert.equal(again.status, 401, 'the whole family is revoked');
  });

  it('identity: a new customer registers and logs in; an admin suspends a customer, whose next call is denied', async () => {
    const out = run!.output();
    const email = `carol-${Date.now()}@example.com`;
    const password = 'correct horse battery staple 42';
    const registered = await postJson(`${api}/api/auth/register`, { email, password, displayName: 'Carol' });
    assert.equal(registered.status, 202, JSON.stringify(registered.body));
    const carol = await postJson(`${api}/api/auth/login`, { email, password });
    assert.equal(carol.status, 200, JSON.stringify(carol.body));
    const carolToken = (carol.body as { accessToken: string }).accessToken;
    const carolMe = await eventually(
      () => getAs(`${api}/api/users/me`, carolToken),
      (r) => r.status === 200,
    );
    const carolId = (carolMe.body as { id: string }).id;
    assert.equal((await getAs(`${api}/api/profiles/me/preferences`, carolToken)).status, 200);

    const adminToken = await adminAccessToken(out);
    const suspended = await postAs(`${api}/api/admin/users/${carolId}/suspend`, adminToken, {
      reason: 'e2e',
    });
    assert.ok(suspended.status === 200 || suspended.status === 204, JSON.stringify(suspended.body));
    const denied = await eventually(
      () => getAs(`${api}/api/users/me`, carolToken),
      (r) => r.status === 401,
    );
    assert.equal(denied.status, 401, "a suspended user's token is refused within seconds");
  });

  it('search puts the headphones first, also when misspelt', async () => {
    for (const q of ['wireless headphones', 'wireles hedphones']) {
      const result = await getJson<{ items: Product[] }>(
        `${api}/api/products/search?q=${encodeURIComponent(q)}`,
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
    let readyAfter: number | undefined;
    while (Date.now() - killedAt < 10_000) {
      const row = (await status()).find((r) => r.instance === 'product-1');
      if (row?.pid && row.pid !== before.pid && row.status === 'ready') {
        readyAfter ??= Date.now() - killedAt;
        // A fresh query each time: a cached answer would not prove the service is back.
        const res = await fetch(`${api}/api/products/search?q=lamp${Date.now()}`).catch(() => undefined);
        if (res?.ok) {
          answeredAfter = Date.now() - killedAt;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(
      answeredAfter !== undefined && answeredAfter < 5000,
      `answering through the gateway after ${answeredAfter} ms (the new process ready after ${readyAfter} ms)`,
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
      /gateway\s+gateway-1\s+\d+\s+\d+\s+ready/,
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
    assert.match(
      output,
      /gateway\s+stopped 1 instance[\s\S]*product\s+stopped 1 instance[\s\S]*postgres\s+stopped[\s\S]*stopped cleanly/,
      'the gateway stops first: no request arrives for a stopped service',
    );
  });

  it('a second start reuses the data (no initdb, no re-seed) and runs replicas', async () => {
    await start(['--replicas', 'product=2']);
    const out = run!.output();
    assert.doesNotMatch(out, /creating the database cluster/);
    const ids = (await allProducts()).map((p) => p.id).sort();
    assert.deepEqual(ids, firstIds, 'the same catalog, not a second copy');
    const kept = await getJson<Product>(`${api}/api/products/${repriced!.id}`);
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

  it('killing one of two product replicas under load: no client sees an error, and it rejoins', async () => {
    const victim = (await status()).find((row) => row.instance === 'product-2');
    assert.ok(victim?.pid);
    // The gateway learns of instances through discovery within a few seconds of their start; the
    // promise is about a replica it knows, so the load starts once it has both in rotation.
    const adminToken = await adminAccessToken(run!.output());
    const replicaUrls = [0, 1].map((i) => `http://127.0.0.1:${sandbox.productPort + i}`);
    const productInstances = async () => {
      const res = await getAs(`${api}/api/admin/gateway/upstreams`, adminToken);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const upstreams = (res.body as { items: UpstreamView[] }).items;
      return upstreams.find((u) => u.name === 'product')?.instances ?? [];
    };
    const bothInRotation = (instances: UpstreamView['instances']) =>
      replicaUrls.every((url) =>
        instances.some((i) => i.url === url && i.healthy && i.ejectedUntil === undefined),
      );
    const known = await eventually(productInstances, bothInRotation);
    assert.ok(bothInRotation(known), `the gateway has both replicas in rotation: ${JSON.stringify(known)}`);
    const failures: string[] = [];
    let served = 0;
    let stop = false;
    // Distinct queries: every request misses the cache and goes to a replica. Paced to stay within
    // the anonymous per-IP limit (600 a minute), so every answer is the service's, not the limiter's.
    const client = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const res = await fetch(`${api}/api/products/search?q=desk${worker}x${i}`).catch((err: Error) => err);
        if (res instanceof Error) failures.push(res.message);
        else {
          const body = await res.text();
          if (res.status === 200) served++;
          else failures.push(`${res.status} ${body.slice(0, 300)}`);
        }
        await new Promise((r) => setTimeout(r, 40));
      }
    };
    const clients = Array.from({ length: 4 }, (_, w) => client(w));
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(victim.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 3000));
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} failed of ${served + failures.length}`);
    assert.ok(served > 50, `only ${served} requests served`);

    // The launcher restarts it on the same port; the gateway takes it back into rotation.
    const rejoined = await eventually(productInstances, bothInRotation);
    assert.ok(bothInRotation(rejoined), `the killed replica rejoined: ${JSON.stringify(rejoined)}`);
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
