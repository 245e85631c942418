import { spawn } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';
import { LauncherError } from '../errors.ts';
import { openLog, readLogTail } from '../system/log-file.ts';
import { levelName } from '../system/log-level.ts';

export interface AdminTask {
  /** e.g. "product migrate" */
  label: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Runs a one-off admin command (migrate, seed) to completion, output appended
 * to `logFile`. A non-zero exit fails with the command's own last error line.
 */
export async function runAdminTask(task: AdminTask): Promise<void> {
  const fd = openLog(task.logFile);
  writeSync(
    fd,
    `${JSON.stringify({ time: Date.now(), source: 'launcher', msg: `running ${task.label}` })}\n`,
  );
  let code: number | null;
  let signal: NodeJS.Signals | null;
  try {
    const child = spawn(task.command, task.args, {
      cwd: task.cwd,
      env: task.env,
      stdio: ['ignore', fd, fd],
      ...(task.signal ? { signal: task.signal } : {}),
      timeout: task.timeoutMs ?? 120_000,
      killSignal: 'SIGKILL',
    });
    ({ code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => {
        child.once('error', () => undefined); // abort/spawn errors still end in 'close'
        child.once('close', (c, s) => resolve({ code: c, signal: s }));
      },
    ));
  } finally {
    closeSync(fd);
  }
  if (task.signal?.aborted) throw task.signal.reason;
  if (code === 0) return;
  const reason = lastError(await readLogTail(task.logFile, 40));
  throw new LauncherError(
    `${task.label} failed (${signal ? `signal ${signal}` : `exit ${code}`})${reason ? `: ${reason}` : ''}`,
    `see ${task.logFile}`,
  );
}

/** The most telling line of a (mostly pino JSON) log tail. */
export function lastError(lines: string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    try {
      const entry = JSON.parse(line) as {
        source?: string;
        level?: unknown;
        msg?: string;
        err?: { message?: string };
      };
      if (entry.source === 'launcher') continue;
      if (entry.err?.message) return entry.msg ? `${entry.msg}: ${entry.err.message}` : entry.err.message;
      if (['ERROR', 'FATAL'].includes(levelName(entry.level)) && entry.msg) return entry.msg;
    } catch {
      if (/error|config:/i.test(line)) return line.trim();
    }
  }
  return lines.findLast((line) => !line.includes('"source":"launcher"'))?.trim();
}
