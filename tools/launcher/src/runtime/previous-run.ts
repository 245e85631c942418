import { LauncherError } from '../errors.ts';
import { readState } from '../home/state-file.ts';
import { inspectLock, removeLock } from '../postgres/lock-file.ts';
import type { LauncherSettings } from '../settings.ts';
import { isAlive, readCmdline, waitForExit } from '../system/proc.ts';
import type { Progress } from '../ui/progress.ts';

/**
 * Makes SHOPNOW_HOME ours before anything starts. A live launcher on the same
 * home is an error the user must resolve; what a dead one left behind (it was
 * SIGKILLed, or the machine lost power) is cleaned up and reported:
 * services it spawned, a PostgreSQL still running on our data dir, or a stale
 * postmaster.pid naming a process that is gone.
 */
export async function takeOverHome(settings: LauncherSettings, progress: Progress): Promise<void> {
  const state = await readState(settings.paths.state);
  if (state && state.pid !== process.pid && isAlive(state.pid) && (await isLauncher(state.pid))) {
    throw new LauncherError(
      `ShopNow is already running from ${settings.home} (launcher pid ${state.pid}, status at http://127.0.0.1:${state.port}/status)`,
      `stop it first (Ctrl-C in its terminal, or: kill ${state.pid}), or start another copy with a different SHOPNOW_HOME and ports`,
    );
  }

  for (const child of state?.children ?? []) {
    if (!isAlive(child.pid)) continue;
    const cmd = (await readCmdline(child.pid))?.join(' ') ?? '';
    if (!cmd.includes(child.match)) continue; // the pid was reused by something else
    killGroup(child.pid, 'SIGTERM');
    if (!(await waitForExit(child.pid, 5000))) killGroup(child.pid, 'SIGKILL');
    progress.warn(
      child.name,
      `stopped pid ${child.pid}, left running by a launcher that did not exit cleanly`,
    );
  }

  const lock = await inspectLock(settings.paths.pgData);
  if (lock.kind === 'running') {
    progress.step(
      'postgres',
      `PostgreSQL pid ${lock.pid} is still running on ${settings.paths.pgData} (left by an earlier launcher); stopping it`,
    );
    for (const [signal, waitMs] of [
      ['SIGINT', 20_000],
      ['SIGQUIT', 5_000],
      ['SIGKILL', 5_000],
    ] as const) {
      process.kill(lock.pid, signal);
      if (await waitForExit(lock.pid, waitMs)) break;
    }
    if (isAlive(lock.pid)) {
      throw new LauncherError(
        `PostgreSQL pid ${lock.pid} holds ${settings.paths.pgData} and would not stop`,
        `stop it by hand (kill -9 ${lock.pid}) and start again`,
      );
    }
    progress.done('postgres', `stopped the leftover PostgreSQL (pid ${lock.pid})`);
  } else if (lock.kind === 'stale') {
    await removeLock(settings.paths.pgData);
    progress.warn('postgres', `removed a stale postmaster.pid (pid ${lock.pid} is not a running PostgreSQL)`);
  }
}

async function isLauncher(pid: number): Promise<boolean> {
  const cmd = (await readCmdline(pid)) ?? [];
  return cmd.some((part) => part.endsWith('cli.ts'));
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
