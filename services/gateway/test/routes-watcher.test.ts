import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RouteTableError } from '../src/routes/load-route-table.ts';
import type { RouteTable } from '../src/routes/route-table.ts';
import { RouteTableWatcher } from '../src/routes/route-table-watcher.ts';

const REPO_ROUTES = fileURLToPath(new URL('../routes.json', import.meta.url));

/** Poll until `check` holds (file events arrive asynchronously), failing after `ms`. */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function recordingLogger() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return {
    lines,
    info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
  };
}

describe('RouteTableWatcher', () => {
  let dir: string;
  let file: string;
  let original: { routes: { name: string }[] } & Record<string, unknown>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'routes-watch-'));
    file = join(dir, 'routes.json');
    original = JSON.parse(await readFile(REPO_ROUTES, 'utf8'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const withFirstRouteNamed = (name: string) => {
    const copy = structuredClone(original);
    copy.routes[0]!.name = name;
    return `${JSON.stringify(copy, null, 2)}\n`;
  };

  it('reloads a changed file (in place and by rename), keeps the old table on a broken edit, never crashes', async () => {
    await writeFile(file, withFirstRouteNamed('first'));
    const logger = recordingLogger();
    const changes: RouteTable[] = [];
    const errors: Error[] = [];
    const watcher = new RouteTableWatcher({
      path: file,
      logger,
      onChange: (t) => changes.push(t),
      onError: (e) => errors.push(e),
    });
    try {
      const initial = await watcher.start();
      assert.equal(watcher.current(), initial);
      assert.equal(initial.routes[0]!.name, 'first');

      // An edit in place.
      await writeFile(file, withFirstRouteNamed('second'));
      await until(() => changes.length === 1, 'the first reload');
      assert.equal(watcher.current().routes[0]!.name, 'second');
      assert.notEqual(watcher.current().version, initial.version);

      // A broken edit (semantic error): the running table stays, a warning says why.
      const broken = structuredClone(original);
      broken.routes[0]!.name = 'second';
      (broken.routes[1] as Record<string, unknown>).upstream = 'nowhere';
      await writeFile(file, JSON.stringify(broken));
      const refused = () =>
        errors.find((e) => /\/routes\/1\/upstream: unknown upstream "nowhere"/.test(e.message));
      await until(() => refused() !== undefined, 'the refused reload');
      assert.equal(watcher.current().routes[0]!.name, 'second');
      assert.ok(refused() instanceof RouteTableError);
      const warn = logger.lines.find((l) => l.level === 'warn');
      assert.ok(warn, 'a warning was logged');
      assert.match(warn.msg, /keeping the current table/);

      // Half-written JSON is refused the same way.
      const errorsBefore = errors.length;
      await writeFile(file, '{"upstreams": {');
      await until(() => errors.length > errorsBefore, 'the refused truncated file');
      assert.equal(watcher.current().routes[0]!.name, 'second');

      // An editor-style save: write a temp file and rename it over the original.
      await writeFile(join(dir, '.routes.json.tmp'), withFirstRouteNamed('third'));
      await rename(join(dir, '.routes.json.tmp'), file);
      await until(() => watcher.current().routes[0]!.name === 'third', 'the reload after rename');
      assert.equal(changes.at(-1)?.routes[0]?.name, 'third');

      // Reloading an unchanged file is a no-op (no onChange).
      const count = changes.length;
      const manual = await watcher.reload();
      assert.deepEqual(manual, { ok: true, version: watcher.current().version, changed: false });
      assert.equal(changes.length, count);
    } finally {
      watcher.stop();
    }
  });

  it('reload() reports a bad file and keeps the table; start() refuses a bad file outright', async () => {
    await writeFile(file, withFirstRouteNamed('good'));
    const watcher = new RouteTableWatcher({ path: file, logger: recordingLogger(), onChange: () => {} });
    try {
      const table = await watcher.start();
      watcher.stop(); // manual reloads only from here
      await writeFile(file, '[]');
      const result = await watcher.reload();
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.error.includes('/: must be a JSON object'));
      assert.equal(watcher.current(), table);
      await writeFile(file, withFirstRouteNamed('better'));
      const ok = await watcher.reload();
      assert.ok(ok.ok && ok.changed);
      assert.equal(watcher.current().routes[0]!.name, 'better');
    } finally {
      watcher.stop();
    }
    await writeFile(file, '{}');
    const fresh = new RouteTableWatcher({ path: file, logger: recordingLogger(), onChange: () => {} });
    await assert.rejects(fresh.start(), RouteTableError);
    assert.throws(() => fresh.current(), /before start/);
    fresh.stop();
  });
});
