import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadOrCreateSecrets } from '../src/home/secrets.ts';
import { DemoSeed } from '../src/runtime/seed-demo-accounts.ts';
import type { LauncherSettings } from '../src/settings.ts';
import type { Progress } from '../src/ui/progress.ts';

// The demo seed's parts wait until every consumer group is declared on the bus: an event relayed
// before its consumer group exists never reaches it (the admin would sign in as a customer for good).

const homes: string[] = [];
after(() => Promise.all(homes.map((home) => rm(home, { recursive: true, force: true }))));

const quiet: Progress = { step() {}, done() {}, warn() {}, fail() {}, line() {} };

describe('the demo seed', () => {
  it('runs its parts only once the consumer groups are declared, then marks the home seeded', async () => {
    const home = await mkdtemp(join(tmpdir(), 'demo-seed-'));
    homes.push(home);
    const secretsFile = join(home, 'secrets.json');
    const { secrets } = await loadOrCreateSecrets(secretsFile, ['auth', 'user']);
    const settings = { home, paths: { secrets: secretsFile } } as unknown as LauncherSettings;
    const seed = new DemoSeed({ settings, secrets, progress: quiet });

    const declared = Promise.withResolvers<void>();
    const ran: string[] = [];
    const runner = (service: string) => async (args: string[]) => {
      ran.push(`${service} ${args[0]}`);
    };
    seed.begin('auth', runner('auth'), declared.promise);
    seed.begin('user', runner('user'), declared.promise);
    seed.begin('product', runner('product'), declared.promise); // not part of the seed

    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ran, [], 'nothing before the consumer groups exist');
    declared.resolve();
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
});
