import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortBlock } from './ports.ts';
import { isAlive, pidsWithEnv } from './processes.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A private SHOPNOW_HOME and ports nobody else uses, so runs never clash. */
export interface LauncherSandbox {
  home: string;
  env: NodeJS.ProcessEnv;
  launcherUrl: string;
  /** The public entry (first gateway replica), on loopback. */
  gatewayUrl: string;
  gatewayPort: number;
  /** Port of the first product replica (loopback only). */
  productPort: number;
  /** Service ports are basePort + 10 * slot + replica index (see tools/launcher/src/catalog.ts). */
  basePort: number;
  /** Kills whatever of this sandbox still runs and deletes the home. */
  dispose(): Promise<void>;
}

export async function createSandbox(): Promise<LauncherSandbox> {
  const home = await mkdtemp(join(tmpdir(), 'shopnow-e2e-'));
  await chmod(home, 0o755); // the postgres OS user must traverse into it
  // One block, so no two picks can overlap: service replicas live at base + 10 * slot + i
  // (tools/launcher/src/catalog.ts, MAX_SLOT 15), then the launcher, Postgres and two gateway
  // ports (a second gateway replica takes the next one).
  const basePort = await freePortBlock(164);
  const productPort = basePort + 10;
  const launcherPort = basePort + 160;
  const pgPort = basePort + 161;
  const gatewayPort = basePort + 162;
  const env = {
    ...process.env,
    SHOPNOW_HOME: home,
    SHOPNOW_LAUNCHER_PORT: String(launcherPort),
    SHOPNOW_PG_PORT: String(pgPort),
    SHOPNOW_BASE_PORT: String(basePort),
    SHOPNOW_GATEWAY_PORT: String(gatewayPort),
  };
  return {
    home,
    env,
    launcherUrl: `http://127.0.0.1:${launcherPort}`,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    gatewayPort,
    productPort,
    basePort,
    async dispose() {
      const pids = await pidsWithEnv('SHOPNOW_HOME', home);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      // A killed Postgres may still be writing its WAL for a moment: deleting under it fails (ENOTEMPTY).
      await survivors(pids, 10_000);
      // E2E_KEEP_LOGS=<dir>: every process's log of this sandbox is kept, to find out what went wrong.
      const keep = process.env.E2E_KEEP_LOGS;
      if (keep) {
        await cp(join(home, 'logs'), join(keep, basename(home)), { recursive: true }).catch(() => undefined);
      }
      await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

export interface LauncherRun {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match in the output; rejects if the launcher exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node tools/launcher/src/cli.ts <args>` from the repository root, exactly as `npm start` does. */
export function runLauncher(sandbox: LauncherSandbox, args: string[]): LauncherRun {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'tools/launcher/src/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: sandbox.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );

  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(text);
        if (!match) return false;
        done();
        resolve(match);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms; launcher output:\n${text}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      if (check()) return;
      listeners.add(check);
      void exited.then(({ code, signal }) => {
        if (check()) return;
        done();
        reject(new Error(`launcher exited (${signal ?? code}) before ${pattern}; output:\n${text}`));
      });
    });

  return { child, output: () => text, waitFor, exited };
}

/** Waits for a pid list to be gone entirely; returns the ones still alive at the deadline. */
export async function survivors(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((r) => setTimeout(r, 100));
  }
}
