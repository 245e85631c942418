import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadOrCreateSecrets } from '../src/home/secrets.ts';
import { CONSUMERS, DemoSeed } from '../src/runtime/seed-demo-accounts.ts';
import type { LauncherSettings } from '../src/settings.ts';
import type { Progress } from '../src/ui/progress.ts';

// The demo seed's parts wait for the services that consume their events: an event relayed before
// its consumer group exists never reaches it (the admin would sign in as a customer for good).

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const homes: string[] = [];
after(() => Promise.all(homes.map((home) => rm(home, { recursive: true, force: true }))));

const quiet: Progress = { step() {}, done() {}, warn() {}, fail() {}, line() {} };

describe('the demo seed', () => {
  it('runs each part only once the consumers of its events are up, then marks the home seeded', async () => {
    const home = await mkdtemp(join(tmpdir(), 'demo-seed-'));
    homes.push(home);
    const secretsFile = join(home, 'secrets.json');
    const { secrets } = await loadOrCreateSecrets(secretsFile, ['auth', 'user']);
    const settings = { home, paths: { secrets: secretsFile } } as unknown as LauncherSettings;
    const seed = new DemoSeed({ settings, secrets, progress: quiet });

    const up = new Map(
      ['token', 'user', 'profile', 'notification', 'auth'].map((name) => [
        name,
        Promise.withResolvers<void>(),
      ]),
    );
    const whenUp = (name: string) => up.get(name)?.promise ?? Promise.resolve();
    const ran: string[] = [];
    const runner = (service: string) => async (args: string[]) => {
      ran.push(`${service} ${args[0]}`);
    };
    seed.begin('auth', runner('auth'), whenUp);
    seed.begin('user', runner('user'), whenUp);
    seed.begin('product', runner('product'), whenUp); // not part of the seed

    const settle = () => new Promise((resolve) => setImmediate(resolve));
    for (const name of ['user', 'profile', 'notification', 'auth']) up.get(name)!.resolve();
    await settle();
    assert.deepEqual(ran, [], 'nothing before token has subscribed');
    up.get('token')!.resolve();
    await seed.finish();
    assert.deepEqual(ran.sort(), ['auth create-account', 'user grant-role']);
    const stored = JSON.parse(await readFile(secretsFile, 'utf8'));
    assert.equal(stored.demo.seeded, true);
    assert.deepEqual(
      (await readdir(home)).filter((f) => f.startsWith('.demo-')),
      [],
      'the password and grant files are removed',
    );
  });

  it('names every service that consumes the events of its parts', async () => {
    const contractOf: Record<string, string> = { auth: 'AuthUserRegisteredV1', user: 'UserRolesChangedV1' };
    for (const [part, contract] of Object.entries(contractOf)) {
      const consumers: string[] = [];
      for (const service of await readdir(join(REPO, 'services'))) {
        const source = await readFile(join(REPO, 'services', service, 'src', 'consumes.ts'), 'utf8').catch(
          () => '',
        );
        if (new RegExp(`consume\\(${contract}\\b`).test(source)) consumers.push(service);
      }
      assert.deepEqual([...(CONSUMERS[part] ?? [])].sort(), consumers.sort(), `consumers of ${contract}`);
    }
  });
});
