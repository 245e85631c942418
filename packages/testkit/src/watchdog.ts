import { spawn } from 'node:child_process';

// POSIX sh, so it needs no Node and survives a SIGKILL of the process that started it.
// $1 = owner pid, $2 = postmaster pid, $3 = directory to delete afterwards ('' = keep).
const SCRIPT = `
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
kill -INT "$2" 2>/dev/null
i=0
while kill -0 "$2" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i+1)); done
if kill -0 "$2" 2>/dev/null; then kill -KILL "$2" 2>/dev/null; fi
if [ -n "$3" ]; then rm -rf "$3"; fi
`;

export interface Watchdog {
  /** Ends the watchdog; call after stopping Postgres yourself. */
  disarm(): void;
}

/**
 * A detached shell that stops Postgres (and deletes its temp dir) when the owning Node
 * process dies by any means, SIGKILL included: a postmaster has no parent-death signal,
 * so without this a killed test run leaves an orphan server holding a port and a data dir.
 */
export function startWatchdog(postgresPid: number, removeDir: string | undefined): Watchdog {
  const child = spawn(
    'sh',
    ['-c', SCRIPT, 'shopnow-pg-watchdog', String(process.pid), String(postgresPid), removeDir ?? ''],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  child.unref();
  return {
    disarm() {
      // Negative pid = its whole process group, so its `sleep` goes too.
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
    },
  };
}
