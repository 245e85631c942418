// The plain commit-rate ceiling of the same embedded PostgreSQL in the same run: single-row
// INSERT transactions (autocommit) from `clients` connections at once, in a database of its own.
// pgbench (Debian's postgresql-client) when installed; otherwise the same loop with node-postgres.
import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { connectionTo, type PostgresTarget, withClient } from './postgres-target.ts';

export interface CommitBaseline {
  tool: string;
  clients: number;
  durationSec: number;
  commitsPerSec: number;
  latencyMeanMs: number;
}

export type { PostgresTarget };

const DATABASE = 'bench_commit_rate';
const INSERT = "INSERT INTO commits (payload) VALUES ('checkout-baseline')";

export function pgbenchAvailable(): boolean {
  return spawnSync('pgbench', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** `tps = …` and `latency average = … ms` from pgbench's report; throws when either is missing. */
export function parsePgbench(output: string): { tps: number; latencyMeanMs: number } {
  const tps = /^tps = ([\d.]+)/m.exec(output)?.[1];
  const latency = /^latency average = ([\d.]+) ms/m.exec(output)?.[1];
  if (tps === undefined || latency === undefined) {
    throw new Error(`pgbench: no tps or latency in its output:\n${output.slice(-1000)}`);
  }
  return { tps: Number(tps), latencyMeanMs: Number(latency) };
}

export async function commitBaseline(
  target: PostgresTarget,
  opts: { clients: number; durationSec: number; runDir: string },
): Promise<CommitBaseline> {
  await withClient(target, 'postgres', async (admin) => {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  });
  await withClient(target, DATABASE, (db) =>
    db.query(
      'CREATE TABLE IF NOT EXISTS commits (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
    ),
  );
  return pgbenchAvailable() ? runPgbench(target, opts) : runNodeLoop(target, opts);
}

async function runPgbench(
  target: PostgresTarget,
  opts: { clients: number; durationSec: number; runDir: string },
): Promise<CommitBaseline> {
  const script = join(opts.runDir, 'commit-baseline.sql');
  await writeFile(script, `${INSERT};\n`);
  const args = [
    ...['-h', '127.0.0.1', '-p', String(target.port), '-U', target.user],
    '-n', // no vacuum of pgbench's own tables: the script uses none
    ...['-M', 'prepared', '-c', String(opts.clients), '-j', '2', '-T', String(opts.durationSec)],
    ...['-f', script, DATABASE],
  ];
  const { stdout, stderr } = await promisify(execFile)('pgbench', args, {
    env: { ...process.env, PGPASSWORD: target.password },
  });
  await writeFile(join(opts.runDir, 'pgbench.log'), `${stdout}\n${stderr}`);
  const version = spawnSync('pgbench', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const { tps, latencyMeanMs } = parsePgbench(stdout);
  return {
    tool: `${version}, -M prepared, single-row INSERT per transaction`,
    clients: opts.clients,
    durationSec: opts.durationSec,
    commitsPerSec: Math.round(tps),
    latencyMeanMs,
  };
}

async function runNodeLoop(
  target: PostgresTarget,
  opts: { clients: number; durationSec: number },
): Promise<CommitBaseline> {
  const pool = new pg.Pool({ ...connectionTo(target, DATABASE), max: opts.clients });
  let commits = 0;
  let busyMs = 0;
  const start = performance.now();
  const end = start + opts.durationSec * 1000;
  try {
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < end) {
            const at = performance.now();
            await client.query(INSERT);
            busyMs += performance.now() - at;
            commits++;
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    tool: 'node-postgres loop (pgbench not installed), single-row INSERT per transaction',
    clients: opts.clients,
    durationSec: opts.durationSec,
    commitsPerSec: Math.round(commits / seconds),
    latencyMeanMs: commits > 0 ? Math.round((busyMs / commits) * 1000) / 1000 : 0,
  };
}
