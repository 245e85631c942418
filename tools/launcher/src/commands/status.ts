import { LauncherError } from '../errors.ts';
import { readState } from '../home/state-file.ts';
import type { StatusSnapshot } from '../runtime/status-snapshot.ts';
import type { LauncherSettings } from '../settings.ts';
import { formatBytes } from '../ui/progress.ts';
import { renderTable } from '../ui/table.ts';

/**
 * `npm run status`: asks the running launcher what runs where and prints each
 * process with its pid, port and resident memory (VmRSS), plus the total.
 */
export async function statusCommand(
  settings: LauncherSettings,
  opts: { json: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  // An explicit SHOPNOW_LAUNCHER_PORT wins; otherwise the running launcher wrote its port into launcher.json.
  const state = await readState(settings.paths.state);
  const port = env.SHOPNOW_LAUNCHER_PORT ? settings.launcherPort : (state?.port ?? settings.launcherPort);
  const snapshot = await fetchStatus(port);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${formatStatus(snapshot)}\n`);
}

export async function fetchStatus(port: number): Promise<StatusSnapshot> {
  const url = `http://127.0.0.1:${port}/status`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch {
    throw new LauncherError(`ShopNow is not running (nothing answers on ${url})`, 'start it with: npm start');
  }
  if (!res.ok) throw new LauncherError(`the launcher at ${url} answered ${res.status}`);
  return (await res.json()) as StatusSnapshot;
}

export function formatStatus(snapshot: StatusSnapshot): string {
  const rows = snapshot.processes.map((p) => [
    p.service,
    p.instance,
    String(p.pid ?? '-'),
    String(p.port ?? '-'),
    p.status,
    p.restarts === undefined ? '' : String(p.restarts),
    String(p.processes),
    formatBytes(p.rssBytes),
    formatBytes(p.pssBytes),
  ]);
  const count = snapshot.processes.reduce((n, p) => n + p.processes, 0);
  rows.push([
    'TOTAL',
    '',
    '',
    '',
    '',
    '',
    String(count),
    formatBytes(snapshot.totalRssBytes),
    formatBytes(snapshot.totalPssBytes),
  ]);
  const table = renderTable(
    ['SERVICE', 'INSTANCE', 'PID', 'PORT', 'STATUS', 'RESTARTS', 'PROCS', 'RSS', 'PSS'],
    rows,
    [2, 3, 5, 6, 7, 8],
  );
  const lines = [
    table,
    '',
    'RSS: VmRSS from /proc/<pid>/status (postgres: summed over its processes).',
    'PSS: shared pages (node binary, shared buffers) split among their sharers; its total is what the platform costs.',
  ];
  if (snapshot.entryUrl) lines.push(`Open ${snapshot.entryUrl}`);
  return lines.join('\n');
}
