import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

// Process facts from Linux /proc. Every reader tolerates a process that
// vanishes between listing and reading (returns undefined / skips it).

/** True while the process exists and is not a zombie awaiting its parent's reaping. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (e.g. the postgres user).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // Gone between the two checks, or no /proc at all (macOS): trust kill(0).
    return !existsSync('/proc/self');
  }
}

export async function readCmdline(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((part) => part.length > 0);
  } catch {
    return undefined;
  }
}

/** Resident set size from /proc/<pid>/status (VmRSS), in bytes. */
export async function readRssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Proportional set size from /proc/<pid>/smaps_rollup, in bytes: shared pages
 * (the node binary, PostgreSQL's shared buffers) divided among the processes
 * sharing them, so a sum over processes is the memory they really cost.
 */
export async function readPssBytes(pid: number): Promise<number | undefined> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = /^Pss:\s+(\d+)\s+kB$/m.exec(rollup);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Direct children of `pid`, found by scanning /proc/<n>/stat for the parent pid. */
export async function childPids(pid: number): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const children: number[] = [];
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
        if (!stat) return;
        // Field 4 (ppid) follows the parenthesised command, which may itself hold spaces.
        const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(afterComm[1]) === pid) children.push(Number(name));
      }),
  );
  return children.sort((a, b) => a - b);
}

/** Pids of every process whose environment holds `NAME=value` (used to find leftovers). */
export async function pidsWithEnv(name: string, value: string): Promise<number[]> {
  const needle = `${name}=${value}`;
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const found: number[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
      .map(async (entry) => {
        const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
        if (environ.split('\0').includes(needle)) found.push(Number(entry));
      }),
  );
  return found.sort((a, b) => a - b);
}

export async function waitForExit(pid: number, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return !isAlive(pid);
}
