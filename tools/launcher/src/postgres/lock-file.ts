import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isAlive, readCmdline } from '../system/proc.ts';

/**
 * postmaster.pid is PostgreSQL's lock on a data dir. A launcher killed with
 * SIGKILL leaves either a live server (its children outlive it) or, after a
 * crash or reboot, a lock naming a dead pid — which PostgreSQL may refuse when
 * that pid was reused by another process.
 */
export type LockStatus = { kind: 'none' } | { kind: 'running'; pid: number } | { kind: 'stale'; pid: number };

export async function inspectLock(dataDir: string): Promise<LockStatus> {
  const pid = await readLockPid(dataDir);
  if (pid === undefined) return { kind: 'none' };
  if (isAlive(pid)) {
    const cmd = await readCmdline(pid);
    if (cmd?.[0] && basename(cmd[0]).startsWith('postgres')) return { kind: 'running', pid };
  }
  return { kind: 'stale', pid };
}

export async function removeLock(dataDir: string): Promise<void> {
  await rm(join(dataDir, 'postmaster.pid'), { force: true });
}

async function readLockPid(dataDir: string): Promise<number | undefined> {
  try {
    const first = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
