import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { LauncherError } from '../errors.ts';

/** Everything secret the embedded runtime needs; lives in SHOPNOW_HOME/secrets.json, mode 600. */
export interface Secrets {
  postgres: { user: string; password: string };
  /** Bearer token for admin routes until the identity service exists. */
  adminToken: string;
  /** Per-service database login passwords. */
  services: Record<string, { password: string }>;
  /** Login password of the `bus` role, owner of the event bus database (added to older files on load). */
  bus: { password: string };
}

const newSecret = (): string => randomBytes(24).toString('hex');

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
    adminToken: newSecret(),
    services: {},
    bus: { password: newSecret() },
  };
  let changed = existing === undefined;
  if (typeof secrets.bus?.password !== 'string') {
    secrets.bus = { password: newSecret() }; // a home from before the event bus
    changed = true;
  }
  for (const name of serviceNames) {
    if (!secrets.services[name]) {
      secrets.services[name] = { password: newSecret() };
      changed = true;
    }
  }
  if (changed) {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  }
  await chmod(path, 0o600);
  return { secrets, created: existing === undefined };
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
    if (
      typeof parsed.postgres?.password !== 'string' ||
      typeof parsed.adminToken !== 'string' ||
      typeof parsed.services !== 'object'
    ) {
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
