import { execFileSync } from 'node:child_process';

const PREFERRED = ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'];

let cached: string | undefined;

/** A UTF-8 locale this host has (glibc: C.UTF-8; macOS: en_US.UTF-8), else C. */
export function utf8Locale(): string {
  if (cached) return cached;
  let available = new Set<string>();
  try {
    available = new Set(
      execFileSync('locale', ['-a'], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim()),
    );
  } catch {
    // No `locale` binary: fall through to C.
  }
  cached = PREFERRED.find((name) => available.has(name)) ?? 'C';
  return cached;
}
