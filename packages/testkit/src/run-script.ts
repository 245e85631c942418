import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface ScriptExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningScript {
  child: ChildProcess;
  /** Settles when the process exits, with everything it printed. */
  exit: Promise<ScriptExit>;
  /** What it has printed so far, stdout then stderr. */
  output(): string;
}

/**
 * Runs a service's entry point (`main.ts`, `admin.ts`) as its own Node process, as an operator
 * does: the environment is PATH plus `env` only, so nothing leaks in from the test runner.
 */
export function runScript(path: string, args: readonly string[], env: Record<string, string>): RunningScript {
  const child = spawn(process.execPath, [path, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({ code, signal, stdout, stderr }) as ScriptExit);
  return { child, exit, output: () => stdout + stderr };
}
