import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { freePort } from '@shopnow/testkit';
import { defaultCompileCache, homePaths, type LauncherSettings, REPO_ROOT } from '../src/settings.ts';
import { isPortFree } from '../src/system/ports.ts';
import { createProgress, type Progress } from '../src/ui/progress.ts';

/** A fresh SHOPNOW_HOME the postgres OS user can enter (mkdtemp makes 0700 dirs). */
export async function tempHome(
  prefix = 'shopnow-launcher-',
): Promise<{ home: string; remove(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  await chmod(home, 0o755);
  return { home, remove: () => rm(home, { recursive: true, force: true }) };
}

/** A base port whose service block (base+10 … base+10+count-1) is free right now. */
export async function freeBasePort(count = 2): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let free = true;
    for (let i = 0; i < count && free; i++) free = await isPortFree(base + 10 + i);
    if (free) return base;
  }
  throw new Error('no free port block found');
}

export async function testSettings(home: string): Promise<LauncherSettings> {
  return {
    repoRoot: REPO_ROOT,
    home,
    launcherPort: await freePort(),
    pgPort: await freePort(),
    pgSettings: [],
    basePort: await freeBasePort(),
    gatewayPort: await freePort(),
    gatewayHost: '127.0.0.1',
    compileCache: defaultCompileCache(REPO_ROOT),
    paths: homePaths(home),
  };
}

/** Progress that records its lines instead of printing them. */
export function recordingProgress(): { progress: Progress; text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { progress: createProgress(stream), text: () => text };
}

export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  opts: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}
