import { openSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Opens a log for appending and returns the raw fd, which is handed to a child
 * so it writes there directly (its logs survive the launcher). Close it with closeSync.
 */
export function openLog(path: string): number {
  return openSync(path, 'a', 0o640);
}

/** The last `maxLines` lines of a file (reads at most the last 64 KiB). */
export async function readLogTail(path: string, maxLines = 20): Promise<string[]> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .slice(-maxLines);
  } catch {
    return [];
  } finally {
    await handle?.close();
  }
}
