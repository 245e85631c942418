import { childPids, readPssBytes, readRssBytes } from '../system/proc.ts';

/** What `GET /status` returns and `npm run status` prints. */
export interface StatusSnapshot {
  home: string;
  startedAt: string;
  /** The URL to open (the public entry). */
  entryUrl?: string;
  processes: ProcessStatus[];
  /** Sum of every row's RSS (counts shared pages once per process, so it overstates). */
  totalRssBytes: number;
  /** Sum of every row's PSS: the platform's real memory footprint. */
  totalPssBytes: number;
}

export interface ProcessStatus {
  service: string;
  instance: string;
  pid?: number;
  port?: number;
  url?: string;
  status: string;
  restarts?: number;
  /** VmRSS from /proc/<pid>/status, summed over `processes` OS processes. */
  rssBytes?: number;
  /** Pss from /proc/<pid>/smaps_rollup, summed likewise. */
  pssBytes?: number;
  processes: number;
}

/** RSS and PSS of a process plus (optionally) its direct children, e.g. a postmaster and its backends. */
export async function measureMemory(
  pid: number | undefined,
  withChildren = false,
): Promise<{ rssBytes?: number; pssBytes?: number; processes: number }> {
  if (pid === undefined) return { processes: 0 };
  const pids = withChildren ? [pid, ...(await childPids(pid))] : [pid];
  const [rss, pss] = await Promise.all([
    Promise.all(pids.map(readRssBytes)),
    Promise.all(pids.map(readPssBytes)),
  ]);
  const known = rss.filter((s): s is number => s !== undefined);
  if (known.length === 0) return { processes: 0 };
  const pssKnown = pss.filter((s): s is number => s !== undefined);
  return {
    rssBytes: sum(known),
    ...(pssKnown.length > 0 ? { pssBytes: sum(pssKnown) } : {}),
    processes: known.length,
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export function totals(rows: ProcessStatus[]): { totalRssBytes: number; totalPssBytes: number } {
  return {
    totalRssBytes: sum(rows.map((row) => row.rssBytes ?? 0)),
    totalPssBytes: sum(rows.map((row) => row.pssBytes ?? 0)),
  };
}
