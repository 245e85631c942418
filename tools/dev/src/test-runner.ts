// `npm test`: one embedded Postgres for the whole run, shared by every test process
// through SHOPNOW_TEST_PG_URL (each test makes its own database on it), then `node --test`
// over every workspace. Extra arguments pass through: `npm test -- --test-name-pattern=x`
// filters, and any path or glob replaces the default set (`npm test -- packages/chassis/test/*.test.ts`).
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, TEST_PG_URL_ENV } from '@shopnow/testkit';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const DEFAULT_PATTERNS = [
  'packages/*/test/**/*.test.ts',
  'services/*/test/**/*.test.ts',
  'tools/*/test/**/*.test.ts',
  'e2e/test/**/*.test.ts',
  'bench/test/**/*.test.ts',
];

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

function nodeTestArgs(extra: string[]): string[] {
  const flags = extra.filter((arg) => arg.startsWith('-'));
  const paths = extra.filter((arg) => !arg.startsWith('-'));
  // Node's default is cores - 1 (a single file at a time on a 2-core CI box); the suites
  // mostly wait on Postgres and child processes, so run at least two files at once.
  const concurrency = flags.some((flag) => flag.startsWith('--test-concurrency'))
    ? []
    : [`--test-concurrency=${Math.max(2, availableParallelism())}`];
  return ['--test', ...concurrency, ...flags, ...(paths.length > 0 ? paths : DEFAULT_PATTERNS)];
}

async function main(): Promise<number> {
  const started = Date.now();
  const postgres = await startPostgres();
  process.stderr.write(
    `test-runner: postgres ready on port ${postgres.port} in ${Date.now() - started} ms\n`,
  );

  try {
    const child = spawn(process.execPath, nodeTestArgs(process.argv.slice(2)), {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, [TEST_PG_URL_ENV]: postgres.url },
    });
    // Ctrl-C reaches the whole foreground group already; SIGTERM (CI, timeout) must be forwarded.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return await new Promise<number>((done) => {
      child.on('exit', (code, signal) => done(code ?? (signal ? (SIGNAL_EXIT_CODES[signal] ?? 1) : 1)));
      child.on('error', (err) => {
        process.stderr.write(`test-runner: cannot start node --test: ${err.message}\n`);
        done(1);
      });
    });
  } finally {
    await postgres.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`test-runner: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
