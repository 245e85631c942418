// The gateway as operators run it: main.ts as a process with its configuration from the
// environment, the repository's routes.json, upstreams found through SERVICE_URLS; a bad route
// table or variable stops it with one line; SIGTERM drains and exits 0.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, runScript } from '@shopnow/testkit';
import { startUpstream, type Upstream } from './gateway-helpers.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('gateway main.ts', () => {
  let product: Upstream;
  before(async () => {
    product = await startUpstream();
  });
  after(() => product?.close());

  it('serves the route table from the environment and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const running = runScript(MAIN, [], {
      HOST: '127.0.0.1',
      PORT: String(port),
      DISCOVERY: 'static',
      SERVICE_URLS: `product=${product.url}`,
      LOG_LEVEL: 'warn',
    });
    try {
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`${base}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await sleep(100);
      }
      assert.ok(ready, `became ready\n${running.output()}`);
      const categories = await fetch(`${base}/api/categories`);
      assert.equal(categories.status, 200);
      assert.equal(product.arrivals.at(-1)?.url, '/categories');
      const users = await fetch(`${base}/api/users/me`);
      assert.equal(users.status, 401, 'a user route without a token stops at the gateway');
    } finally {
      running.child.kill('SIGTERM');
    }
    const exit = await running.exit;
    assert.equal(exit.code, 0, exit.stderr + exit.stdout);
  });

  it('a broken route table stops the start with one line naming the file and the problem', async () => {
    const file = join(tmpdir(), `routes-${process.pid}.json`);
    await writeFile(file, JSON.stringify({ upstreams: {}, routes: [], rateLimits: {} }));
    const exit = await runScript(MAIN, [], { ROUTES_FILE: file, PORT: String(await freePort()) }).exit;
    assert.equal(exit.code, 1);
    const lines = exit.stderr.trim().split('\n');
    assert.equal(lines.length, 1, exit.stderr);
    assert.match(lines[0] ?? '', /^config: ROUTES_FILE route table .*routes-\d+\.json is invalid/);
  });

  it('a bad variable stops the start with one line naming it', async () => {
    const exit = await runScript(MAIN, [], { TRUSTED_PROXIES: 'not-a-cidr' }).exit;
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /TRUSTED_PROXIES/);
  });
});
