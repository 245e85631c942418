import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DemoAccount, type Secrets, writeSecrets } from '../home/secrets.ts';
import type { LauncherSettings } from '../settings.ts';
import type { Progress } from '../ui/progress.ts';
import type { AdminRunner } from './bring-up-service.ts';

/**
 * The demo people of a new home, once: each an account at auth (its registration event tells the
 * user, profile and token services), and the admin and support roles granted at user. Passwords were
 * generated for this home (secrets.json) and are printed by `npm start`; none is written in code.
 *
 * Each part runs once every consumer group is declared on the bus (bring-up-consumer-groups.ts):
 * events fan out only to the groups that exist when they are relayed (docs/events.md), so a role
 * relayed before token's group existed would leave the admin a customer for good. A seed cut short
 * is resumed at the next start: both commands accept an account or role that exists.
 */
/** The services the seed goes through: auth creates the accounts, user grants the staff roles. */
const PARTS = new Set(['auth', 'user']);

export class DemoSeed {
  readonly #settings: LauncherSettings;
  readonly #secrets: Secrets;
  readonly #progress: Progress;
  readonly #parts = new Map<string, Promise<void>>();
  #startedAt: number | undefined;

  constructor(options: { settings: LauncherSettings; secrets: Secrets; progress: Progress }) {
    this.#settings = options.settings;
    this.#secrets = options.secrets;
    this.#progress = options.progress;
  }

  get #pending(): readonly DemoAccount[] | undefined {
    const demo = this.#secrets.demo;
    return demo === undefined || demo.seeded ? undefined : demo.accounts;
  }

  /** Starts this service's part of the seed, if it has one, once `groupsDeclared` (see finish()). */
  begin(service: string, admin: AdminRunner, groupsDeclared: Promise<void>): void {
    const accounts = this.#pending;
    if (accounts === undefined || !PARTS.has(service)) return;
    const run = async () => {
      await groupsDeclared;
      this.#startedAt ??= Date.now();
      if (service === 'auth') await this.#createAccounts(accounts, admin);
      else await this.#grantRoles(accounts, admin);
    };
    const running = run();
    running.catch(() => {}); // reported by finish()
    this.#parts.set(service, running);
  }

  /** Waits for both parts; once both ran, the home is marked seeded. */
  async finish(): Promise<void> {
    if (this.#pending === undefined) return;
    await Promise.all(this.#parts.values());
    if (!this.#parts.has('auth') || !this.#parts.has('user')) return;
    this.#secrets.demo!.seeded = true;
    await writeSecrets(this.#settings.paths.secrets, this.#secrets);
    const emails = this.#secrets.demo!.accounts.map((a) => a.email).join(', ');
    this.#progress.done('launcher', `demo accounts: ${emails}`, this.#startedAt ?? Date.now());
  }

  /** Every account in one auth process (the passwords in a 600 file, never argv; removed after). */
  async #createAccounts(accounts: readonly DemoAccount[], auth: AdminRunner): Promise<void> {
    const file = join(this.#settings.home, `.demo-accounts.${process.pid}.json`);
    const entries = accounts.map((a) => ({
      email: a.email,
      password: a.password,
      displayName: a.displayName,
      userId: a.userId,
      verified: true,
    }));
    await writeFile(file, JSON.stringify(entries), { mode: 0o600 });
    try {
      await auth(
        ['create-account', '--accounts-file', file],
        `auth create-account (${accounts.length} demo accounts)`,
      );
    } finally {
      await rm(file, { force: true });
    }
  }

  /** The staff roles in one user process. */
  async #grantRoles(accounts: readonly DemoAccount[], user: AdminRunner): Promise<void> {
    const grants = accounts
      .filter((a) => a.role !== 'customer')
      .map((a) => ({ userId: a.userId, email: a.email, role: a.role }));
    if (grants.length === 0) return;
    const file = join(this.#settings.home, `.demo-grants.${process.pid}.json`);
    await writeFile(file, JSON.stringify(grants), { mode: 0o600 });
    try {
      await user(['grant-role', '--grants-file', file], `user grant-role (${grants.length} staff)`);
    } finally {
      await rm(file, { force: true });
    }
  }
}
