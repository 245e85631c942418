import { open, stat } from 'node:fs/promises';
import { levelName } from '../system/log-level.ts';

/**
 * `--logs`: follows the instances' log files (they write there directly) and
 * echoes new lines as `<instance> | <line>`, pino JSON shortened to the essentials.
 */
export function followLogs(
  files: Array<{ label: string; path: string }>,
  out: NodeJS.WritableStream = process.stdout,
  intervalMs = 250,
): { stop(): void } {
  const width = Math.max(...files.map((f) => f.label.length));
  const cursors = new Map<string, { offset: number; partial: string }>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const poll = async () => {
    for (const file of files) {
      const size = await stat(file.path)
        .then((s) => s.size)
        .catch(() => 0);
      let cursor = cursors.get(file.path);
      if (!cursor) {
        cursors.set(file.path, { offset: size, partial: '' }); // only what comes next
        continue;
      }
      if (size < cursor.offset) cursor = { offset: 0, partial: '' }; // truncated
      if (size > cursor.offset) {
        const handle = await open(file.path, 'r');
        try {
          const buffer = Buffer.alloc(size - cursor.offset);
          await handle.read(buffer, 0, buffer.length, cursor.offset);
          const lines = (cursor.partial + buffer.toString('utf8')).split('\n');
          cursor = { offset: size, partial: lines.pop() ?? '' };
          for (const line of lines)
            if (line.trim()) out.write(`${file.label.padEnd(width)} | ${formatLogLine(line)}\n`);
        } finally {
          await handle.close();
        }
      }
      cursors.set(file.path, cursor);
    }
    if (!stopped) timer = setTimeout(() => void poll(), intervalMs);
  };
  void poll();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const parts = [clock(entry.time), levelName(entry.level).padEnd(5), String(entry.msg ?? '')];
  // Request logs: the chassis's flat fields, or pino-http style req/res objects.
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const method = entry.method ?? req?.method;
  if (method) parts.push(`${method} ${entry.url ?? req?.url ?? ''}`);
  const status = entry.status_code ?? res?.statusCode;
  if (status) parts.push(`→ ${status}`);
  const duration = entry.duration_ms ?? entry.responseTime;
  if (typeof duration === 'number') parts.push(`${duration.toFixed(1)} ms`);
  const err = entry.err as { message?: string } | undefined;
  if (err?.message) parts.push(`error: ${err.message}`);
  return parts.filter(Boolean).join(' ');
}

function clock(time: unknown): string {
  const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(11, 23) : '';
}
