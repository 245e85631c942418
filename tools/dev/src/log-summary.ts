// `node tools/dev/src/log-summary.ts <dir>`: the errors and warnings in the platform logs the e2e
// sandboxes kept (E2E_KEEP_LOGS=<dir>, one folder per sandbox), a few lines per process. CI prints
// it when the tests fail, so a failure on a machine we cannot reach still says what the services
// saw; the whole logs would not fit in what CI shows.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { levelName } from '@shopnow/launcher';

const PER_FILE = 3;
const MAX_LINES = 120;
const WIDTH = 220;

interface Finding {
  /** An error (or fatal); else a warning. */
  error: boolean;
  text: string;
}

/** A JSON log line's warning or error, with the error's message; undefined for anything else. */
function findingOf(line: string): Finding | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as {
      level?: unknown;
      time?: unknown;
      msg?: unknown;
      err?: { message?: unknown };
    };
    const level = levelName(entry.level);
    if (level !== 'WARN' && level !== 'ERROR' && level !== 'FATAL') return undefined;
    // ISO text from the services, epoch milliseconds from admin commands and the launcher.
    const iso =
      typeof entry.time === 'number' ? new Date(entry.time).toISOString() : String(entry.time ?? '');
    const time = iso.slice(11, 23).padEnd(12);
    const cause = typeof entry.err?.message === 'string' ? `: ${entry.err.message}` : '';
    return {
      error: level !== 'WARN',
      text: `${time} ${String(entry.msg ?? '')}${cause}`.replaceAll('\n', ' '),
    };
  } catch {
    return undefined;
  }
}

export async function summarise(dir: string): Promise<string[]> {
  const out: string[] = [];
  const sandboxes = (await readdir(dir).catch(() => [] as string[])).sort();
  for (const sandbox of sandboxes) {
    const files = (await readdir(join(dir, sandbox)).catch(() => [] as string[])).filter((f) =>
      f.endsWith('.log'),
    );
    out.push(`${sandbox}:`);
    for (const file of files.sort()) {
      const text = await readFile(join(dir, sandbox, file), 'utf8').catch(() => '');
      const findings = text
        .split('\n')
        .map(findingOf)
        .filter((f): f is Finding => f !== undefined);
      if (findings.length === 0) continue;
      const errors = findings.filter((f) => f.error).length;
      out.push(`  ${file}: ${errors} errors, ${findings.length - errors} warnings`);
      const seen = new Set<string>();
      // Errors first: they are what a failure is about; warnings fill what room is left.
      const ordered = [...findings.filter((f) => f.error), ...findings.filter((f) => !f.error)];
      for (const finding of ordered) {
        // The same message again and again (a retry loop) says nothing new.
        const key = finding.text.slice(13);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(`    ${finding.error ? 'E' : 'W'} ${finding.text.slice(0, WIDTH)}`);
        if (seen.size === PER_FILE) break;
      }
    }
  }
  return out.length > MAX_LINES
    ? [...out.slice(0, MAX_LINES), `… ${out.length - MAX_LINES} more lines`]
    : out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: log-summary.ts <dir of kept e2e logs>\n');
    process.exit(2);
  }
  process.stdout.write(`${(await summarise(dir)).join('\n')}\n`);
}
