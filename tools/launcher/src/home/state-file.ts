import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/**
 * SHOPNOW_HOME/launcher.json: who runs this home right now. `npm run status`
 * reads the control port from it; the next start reads the pids to clean up
 * after a launcher that died without stopping its children (e.g. SIGKILL).
 */
export interface LauncherState {
  pid: number;
  port: number;
  pgPort: number;
  startedAt: string;
  postgresPid?: number;
  /** Processes the launcher spawned, with a fragment of their command line to recognise them by. */
  children: Array<{ name: string; pid: number; match: string }>;
}

export async function readState(path: string): Promise<LauncherState | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LauncherState;
  } catch {
    return undefined;
  }
}

export async function writeState(path: string, state: LauncherState): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, path);
}

export async function removeState(path: string): Promise<void> {
  await rm(path, { force: true });
}
