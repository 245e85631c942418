// CPU time while a side is measured (Linux /proc): the server's own processes (nginx: master and
// workers) and the whole machine. It tells a CPU-bound server from one starved by other work, which
// matters on a two-core machine where load tool, proxy and upstream share the cores.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc times are in 1/100 s on every mainstream kernel build. */
const TICKS_PER_SEC = 100;

export interface CpuSample {
  at: number;
  /** Clock ticks of each watched pid tree. */
  trees: number[];
  machine: { busy: number; total: number };
}

export interface CpuUse {
  /** CPU of each watched pid tree, percent of one core. */
  trees: number[];
  /** The whole machine, percent of all cores. */
  machinePercent: number;
}

export function sampleCpu(pids: number[]): CpuSample {
  return { at: performance.now(), trees: pids.map(treeTicks), machine: machineTicks() };
}

export function cpuBetween(start: CpuSample, end: CpuSample): CpuUse {
  const seconds = (end.at - start.at) / 1000;
  const machineTotal = end.machine.total - start.machine.total;
  return {
    trees: end.trees.map((ticks, i) =>
      Math.round(((ticks - (start.trees[i] ?? 0)) / TICKS_PER_SEC / Math.max(seconds, 1e-3)) * 100),
    ),
    machinePercent:
      machineTotal > 0 ? Math.round(((end.machine.busy - start.machine.busy) / machineTotal) * 100) : 0,
  };
}

/** utime + stime of a process and its direct children (nginx's workers), 0 when unreadable. */
function treeTicks(pid: number): number {
  let ticks = processTicks(pid);
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const child of children === '' ? [] : children.split(/\s+/)) ticks += processTicks(Number(child));
  } catch {
    // No children file (kernel without CONFIG_PROC_CHILDREN): fall back to scanning ppids.
    for (const entry of safeReaddir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = statFields(Number(entry));
      if (stat !== undefined && Number(stat[1]) === pid) ticks += Number(stat[11]) + Number(stat[12]);
    }
  }
  return ticks;
}

function processTicks(pid: number): number {
  const fields = statFields(pid);
  return fields === undefined ? 0 : Number(fields[11]) + Number(fields[12]);
}

/** /proc/<pid>/stat fields after the command name: [0] state, [1] ppid, … [11] utime, [12] stime. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, n) => sum + n, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** What the scheduler did with one thread (Linux /proc/<pid>/task/<tid>/schedstat), nanoseconds. */
export interface ThreadSchedule {
  at: number;
  /** On a core. */
  runNs: number;
  /** Runnable but waiting for a core: each millisecond of it delays the requests in hand. */
  waitNs: number;
}

/** The main thread of `pid`; undefined when the kernel does not expose schedstat. */
export function sampleMainThread(pid: number): ThreadSchedule | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(/\s+/);
    return { at: performance.now(), runNs: Number(run), waitNs: Number(wait) };
  } catch {
    return undefined;
  }
}

/** Between two samples: milliseconds on a core and waiting for one, and the wait as % of the time. */
export function scheduleBetween(
  start: ThreadSchedule | undefined,
  end: ThreadSchedule | undefined,
): { runMs: number; waitMs: number; waitPercent: number } | undefined {
  if (start === undefined || end === undefined) return undefined;
  const wallMs = end.at - start.at;
  const waitMs = (end.waitNs - start.waitNs) / 1e6;
  return {
    runMs: Math.round((end.runNs - start.runNs) / 1e6),
    waitMs: Math.round(waitMs),
    waitPercent: wallMs > 0 ? Math.round((waitMs / wallMs) * 1000) / 10 : 0,
  };
}
