import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { LauncherError } from '../errors.ts';

/** Everything secret the embedded runtime needs; lives in SHOPNOW_HOME/secrets.json, mode 600. */
export interface Secrets {
  postgres: { user: string; password: string };
  /**
   * Per service: its database login password, and its client secret at the token service (client
   * credentials; added to older files on load).
   */
  services: Record<string, { password: string; clientSecret: string }>;
  /** Demo accounts the launcher seeds once (passwords generated per home, never in code). */
  demo?: DemoAccounts;
  /** Login password of the `bus` role, owner of the event bus database (added to older files on load). */
  bus: { password: string };
  /** The card processor sandbox's API keys (added to older files on load). */
  paymentProvider: { secretKey: string; publishableKey: string };
}

export interface DemoAccount {
  email: string;
  password: string;
  displayName: string;
  role: 'admin' | 'support' | 'customer';
  userId: string;
}

export interface DemoAccounts {
  accounts: DemoAccount[];
  /** Set once every account exists with its role. */
  seeded: boolean;
}

const newSecret = (): string => randomBytes(24).toString('hex');
/** A demo password: readable, 20 characters, never in any common-password list. */
const newDemoPassword = (): string => randomBytes(15).toString('base64url');

const DEMO_PEOPLE: ReadonlyArray<Omit<DemoAccount, 'password' | 'userId'>> = [
  { email: 'admin@shopnow.local', displayName: 'Ada Admin', role: 'admin' },
  { email: 'support@shopnow.local', displayName: 'Sam Support', role: 'support' },
  { email: 'alice@shopnow.local', displayName: 'Alice Customer', role: 'customer' },
  { email: 'bob@shopnow.local', displayName: 'Bob Customer', role: 'customer' },
];

/**
 * Loads the secrets file, adding whatever is missing (first start, a new service)
 * and writing it back only when it changed. Mode is forced to 600 either way.
 */
export async function loadOrCreateSecrets(
  path: string,
  serviceNames: string[],
): Promise<{ secrets: Secrets; created: boolean }> {
  const existing = await readSecrets(path);
  const secrets: Secrets = existing ?? {
    postgres: { user: 'postgres', password: newSecret() },
    services: {},
    bus: { password: newSecret() },
    paymentProvider: { secretKey: `sk_test_${newSecret()}`, publishableKey: `pk_test_${newSecret()}` },
  };
  let changed = existing === undefined;
  if (typeof secrets.paymentProvider?.secretKey !== 'string') {
    secrets.paymentProvider = {
      secretKey: `sk_test_${newSecret()}`,
      publishableKey: `pk_test_${newSecret()}`,
    };
    changed = true;
  }
  if (typeof secrets.bus?.password !== 'string') {
    secrets.bus = { password: newSecret() }; // a home from before the event bus
    changed = true;
  }
  for (const name of serviceNames) {
    if (!secrets.services[name]) {
      secrets.services[name] = { password: newSecret(), clientSecret: newSecret() };
      changed = true;
    } else if (typeof secrets.services[name].clientSecret !== 'string') {
      secrets.services[name].clientSecret = newSecret(); // a home from before the token service
      changed = true;
    }
  }
  if (secrets.demo === undefined) {
    secrets.demo = {
      accounts: DEMO_PEOPLE.map((person) => ({
        ...person,
        password: newDemoPassword(),
        userId: randomUUID(),
      })),
      seeded: false,
    };
    changed = true;
  }
  if (changed) await writeSecrets(path, secrets);
  await chmod(path, 0o600);
  return { secrets, created: existing === undefined };
}

/** Writes the file atomically, mode 600. */
export async function writeSecrets(path: string, secrets: Secrets): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

async function readSecrets(path: string): Promise<Secrets | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    // `bus` may be missing: files written before the event bus existed are completed by the caller.
    const parsed = JSON.parse(raw) as Partial<Secrets>;
    if (typeof parsed.postgres?.password !== 'string' || typeof parsed.services !== 'object') {
      throw new Error('missing fields');
    }
    return parsed as Secrets;
  } catch (err) {
    throw new LauncherError(
      `${path} is not a valid secrets file (${(err as Error).message})`,
      'restore it from a backup, or delete the whole SHOPNOW_HOME folder to start from scratch',
    );
  }
}
