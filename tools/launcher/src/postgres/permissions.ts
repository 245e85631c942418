import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OsUser {
  uid: number;
  gid: number;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` OS user, created if missing. */
export async function ensurePostgresOsUser(): Promise<OsUser> {
  const existing = await lookupUser('postgres');
  if (existing) return existing;
  await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
  await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
  const created = await lookupUser('postgres');
  if (!created) throw new Error('could not create the postgres OS user');
  return created;
}

async function lookupUser(name: string): Promise<OsUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * The data dir must be owned by the server's user with mode 700, and every
 * parent must be traversable by that user. Returns the parents we had to open
 * (o+x only: traverse, not list) so the caller can say so.
 */
export async function prepareDataDir(dir: string, owner: OsUser | undefined): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const opened: string[] = [];
  if (owner) {
    await chown(dir, owner.uid, owner.gid);
    for (let parent = dirname(dir); ; parent = dirname(parent)) {
      const info = await stat(parent);
      if ((info.mode & 0o001) === 0) {
        await chmod(parent, (info.mode & 0o7777) | 0o001);
        opened.push(parent);
      }
      if (dirname(parent) === parent) break;
    }
  }
  await chmod(dir, 0o700);
  return opened;
}
