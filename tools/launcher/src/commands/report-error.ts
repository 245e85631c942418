import { LauncherError } from '../errors.ts';

/** One clear message on stderr: what went wrong, then what to do. No stack for expected failures. */
export function reportError(err: unknown): void {
  if (err instanceof LauncherError) {
    process.stderr.write(`✖ ${err.message}\n`);
    if (err.hint) process.stderr.write(`  → ${err.hint}\n`);
    return;
  }
  process.stderr.write(
    `✖ launcher failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
}
