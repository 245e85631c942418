import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export { isAlive } from '../src/start-rabbitmq.ts';

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

export function runFixture(file: string): ChildProcess {
  return spawn(process.execPath, [new URL(`./fixtures/${file}`, import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export async function firstLine(child: ChildProcess): Promise<string> {
  let buffer = '';
  for await (const chunk of child.stdout ?? []) {
    buffer += String(chunk);
    const end = buffer.indexOf('\n');
    if (end >= 0) return buffer.slice(0, end);
  }
  throw new Error(`fixture exited before printing a line (code ${child.exitCode})`);
}

export async function exitCodeOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}
