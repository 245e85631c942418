import { spawn } from 'node:child_process';

// POSIX sh, so it needs no Node and outlives a SIGKILL of the launcher.
// $1 = launcher pid, $2 = pids file: lines "svc <pgid>" (a service's process group) and "pg <pid>".
// When the launcher dies without a clean stop (which deletes the file first), it does what stop()
// would have done: services get SIGTERM, then SIGKILL after 10 s; PostgreSQL last, fast shutdown.
const SCRIPT = `
while kill -0 "$1" 2>/dev/null; do sleep 1; done
[ -f "$2" ] || exit 0
svc=$(sed -n 's/^svc //p' "$2"); pg=$(sed -n 's/^pg //p' "$2")
for p in $svc; do kill -TERM -"$p" 2>/dev/null; done
i=0
while [ "$i" -lt 100 ]; do
  left=0; for p in $svc; do kill -0 -"$p" 2>/dev/null && left=1; done
  [ "$left" = 0 ] && break; sleep 0.1; i=$((i+1))
done
for p in $svc; do kill -KILL -"$p" 2>/dev/null; done
if [ -n "$pg" ]; then
  kill -INT "$pg" 2>/dev/null; i=0
  while kill -0 "$pg" 2>/dev/null && [ "$i" -lt 200 ]; do sleep 0.1; i=$((i+1)); done
  kill -KILL "$pg" 2>/dev/null
fi
rm -f "$2"
`;

/**
 * A detached shell that stops the launcher's children if the launcher dies by
 * any means, SIGKILL included: neither PostgreSQL nor a Node service has a
 * parent-death signal, so without it `kill -9` of the launcher orphans them all.
 */
export function startWatchdog(pidsFile: string): { disarm(): void } {
  const child = spawn('sh', ['-c', SCRIPT, 'shopnow-launcher-watchdog', String(process.pid), pidsFile], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => undefined); // no sh: the next start still cleans up (see previous-run.ts)
  child.unref();
  return {
    disarm() {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL'); // its group, so its `sleep` goes too; nothing to clean up
      } catch {
        // already gone
      }
    },
  };
}

export function formatPidsFile(entries: { services: number[]; postgres?: number }): string {
  const lines = entries.services.map((pid) => `svc ${pid}`);
  if (entries.postgres !== undefined) lines.push(`pg ${entries.postgres}`);
  return `${lines.join('\n')}\n`;
}
