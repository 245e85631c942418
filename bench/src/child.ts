import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node <args>` with stdout and stderr appended to `logFile`: a server's logging
 * is part of what it costs, so it goes to a real file, never to /dev/null.
 */
export function startNode(
  name: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Child {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000) => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const grace = new AbortController();
      const overdue = sleep(graceMs, true, { signal: grace.signal }).catch(() => false);
      const killed = await Promise.race([exited.then(() => false), overdue]);
      grace.abort();
      if (killed) {
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };
  return { name, process: child, logFile: opts.logFile, stop };
}

/** Polls `url` until it answers 200; fails early, with the log's tail, if the child exits. */
export async function waitUntilReady(child: Child, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited before it was ready; last log lines:\n${tail(child.logFile)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(
    `${child.name} not ready at ${url} after ${timeoutMs} ms; last log lines:\n${tail(child.logFile)}`,
  );
}

/** Resident memory of a running child in MiB (Linux /proc), undefined elsewhere. */
export function residentMemoryMb(child: Child): number | undefined {
  try {
    const status = readFileSync(`/proc/${child.process.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
