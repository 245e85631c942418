// CPU of each part of the platform while a phase runs, from /proc: every service process the
// launcher started (named by its main module) and PostgreSQL (the postmaster and
// its backends), found through the run's SHOPNOW_HOME. Divided by the orders settled, it says
// what one order costs in each part, which stays meaningful when other work shares the cores.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidsWithEnv } from '../../../e2e/src/processes.ts';
import { type CpuSample, sampleCpu } from '../gateway/cpu.ts';

/** Linux's USER_HZ (see gateway/cpu.ts). */
const MS_PER_TICK = 10;

export interface PartCpu {
  part: string;
  /** CPU ms over the phase. */
  cpuMs: number;
}

export interface ProcessGroups {
  names: string[];
  pids: number[];
}

/** The run's processes by part: `services/<part>/src/main.ts` and the postmaster with its backends. */
export async function platformProcesses(home: string): Promise<ProcessGroups> {
  const names: string[] = [];
  const pids: number[] = [];
  for (const pid of await pidsWithEnv('SHOPNOW_HOME', home)) {
    const cmdline = readCmdline(pid);
    // Not the launcher: a tree is a process and its children, and its children are the services.
    const part = /services\/([a-z-]+)\/src\/main\.ts/.exec(cmdline)?.[1];
    if (part === undefined) continue;
    names.push(part);
    pids.push(pid);
  }
  const postmaster = Number(readFirstLine(join(home, 'pg', 'postmaster.pid')));
  if (Number.isInteger(postmaster) && postmaster > 0) {
    names.push('postgres');
    pids.push(postmaster);
  }
  return { names, pids };
}

export function sampleParts(groups: ProcessGroups): CpuSample {
  return sampleCpu(groups.pids);
}

/** CPU ms per part between two samples, summed over replicas, most first. */
export function partsBetween(groups: ProcessGroups, start: CpuSample, end: CpuSample): PartCpu[] {
  const byPart = new Map<string, number>();
  groups.names.forEach((part, i) => {
    const ticks = (end.trees[i] ?? 0) - (start.trees[i] ?? 0);
    byPart.set(part, (byPart.get(part) ?? 0) + Math.max(0, ticks) * MS_PER_TICK);
  });
  return [...byPart].map(([part, cpuMs]) => ({ part, cpuMs })).sort((a, b) => b.cpuMs - a.cpuMs);
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function readFirstLine(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n')[0] ?? '';
  } catch {
    return '';
  }
}
