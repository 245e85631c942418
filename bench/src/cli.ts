// npm run bench -- <benchmark> [--rounds 4] [--duration 5] [--warmup 3] [--connections 50]
// Prints the result as JSON, then a one-line summary; exits 1 when the ratio misses its target.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarks } from './benchmarks.ts';
import { summaryLine, writeResult } from './report.ts';

const usage = `usage: npm run bench -- <benchmark> [options]
  --rounds <n>       rounds, each measuring both sides, alternating which goes first (default 4)
  --duration <s>     measured seconds per side in each round (default 5)
  --warmup <s>       discarded seconds of load on each side before the first round (default 3)
  --connections <n>  concurrent connections, the same on both sides (default 50)
benchmarks:
${Object.entries(benchmarks)
  .map(([name, b]) => `  ${name.padEnd(14)} ${b.description}`)
  .join('\n')}`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '4' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
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

const rounds = positiveInt('rounds', values.rounds);
const durationSec = positiveInt('duration', values.duration);
const warmupSec = positiveInt('warmup', values.warmup, 0);
const connections = positiveInt('connections', values.connections);
const runDir = join(
  import.meta.dirname,
  '..',
  'results',
  `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
);
mkdirSync(runDir, { recursive: true });

const result = await benchmark
  .run({
    connections,
    durationSec,
    warmupSec,
    rounds,
    runDir,
    log: (line) => console.error(`bench: ${line}`),
  })
  .catch((err: unknown) => {
    console.error(`bench: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    console.error(`bench: server logs in ${runDir}/`);
    process.exit(1);
  });
const file = writeResult(runDir, result);
console.log(JSON.stringify(result, null, 2));
console.error(`bench: result and server logs in ${file.replace(/\/result\.json$/, '/')}`);
console.log(summaryLine(result));
process.exitCode = result.pass ? 0 : 1;

function positiveInt(flag: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: --${flag} must be an integer >= ${min} (got "${raw}")`);
    process.exit(2);
  }
  return n;
}
