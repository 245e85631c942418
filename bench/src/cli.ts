// npm run bench -- <benchmark> [options]   (each benchmark's options: npm run bench -- --help)
// Prints the result as JSON, then a one-line summary; exits 1 when the run misses its target.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarks } from './benchmarks.ts';
import { writeResult } from './report.ts';

const usage = `usage: npm run bench -- <benchmark> [options]
benchmarks:
${Object.entries(benchmarks)
  .map(
    ([name, b]) =>
      `  ${name.padEnd(14)} ${b.description}\n` +
      Object.entries(b.flags)
        .map(([flag, f]) => `    ${`--${flag} ${f.arg}`.padEnd(19)}${f.help} (default ${f.default})`)
        .join('\n'),
  )
  .join('\n')}`;

const flagNames = [...new Set(Object.values(benchmarks).flatMap((b) => Object.keys(b.flags)))];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ...Object.fromEntries(flagNames.map((flag) => [flag, { type: 'string' as const }])),
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const name = positionals[0];
const benchmark = name === undefined ? undefined : benchmarks[name];
if (values.help || name === undefined || benchmark === undefined) {
  if (name !== undefined && !values.help) console.error(`bench: unknown benchmark "${name}"`);
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const settings: Record<string, number> = {};
for (const flag of flagNames) {
  const raw = (values as Record<string, string | boolean | undefined>)[flag];
  const spec = benchmark.flags[flag];
  if (spec === undefined) {
    if (raw !== undefined) {
      console.error(`bench: --${flag} is not an option of ${name}`);
      process.exit(2);
    }
    continue;
  }
  settings[flag] = positiveInt(flag, typeof raw === 'string' ? raw : String(spec.default), spec.min);
}
const runDir = join(
  import.meta.dirname,
  '..',
  'results',
  `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
);
mkdirSync(runDir, { recursive: true });

const result = await benchmark
  .run(settings, { runDir, log: (line) => console.error(`bench: ${line}`) })
  .catch((err: unknown) => {
    console.error(`bench: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    console.error(`bench: logs in ${runDir}/`);
    process.exit(1);
  });
const file = writeResult(runDir, result);
console.log(JSON.stringify(result, null, 2));
console.error(`bench: result and logs in ${file.replace(/\/result\.json$/, '/')}`);
console.log(benchmark.summary(result));
process.exitCode = result.pass ? 0 : 1;

function positiveInt(flag: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: --${flag} must be an integer >= ${min} (got "${raw}")`);
    process.exit(2);
  }
  return n;
}
