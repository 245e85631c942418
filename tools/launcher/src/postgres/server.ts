import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync } from 'node:fs';
import { chown, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { LauncherError } from '../errors.ts';
import { openLog, readLogTail } from '../system/log-file.ts';
import { type PostgresBinaries, resolveBinaries } from './binaries.ts';
import { ensurePostgresOsUser, isRoot, type OsUser, prepareDataDir } from './permissions.ts';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  superuser: { user: string; password: string };
  logFile: string;
  /** Extra server settings (`name=value`), after the launcher's own. */
  settings?: readonly string[];
  /** Environment of initdb and the server (default: the launcher's). */
  env?: NodeJS.ProcessEnv;
  /** Called when the server dies without being asked to. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface RunningPostgres {
  pid: number;
  port: number;
  /** Superuser connection URL for `database`. */
  url(database?: string): string;
  /** Fast shutdown (SIGINT), escalating if the server does not go. */
  stop(): Promise<void>;
}

// Settings passed on the command line rather than written into the data dir,
// so a newer launcher's choice applies to an existing cluster too.
const SERVER_FLAGS = [
  '-c',
  'listen_addresses=127.0.0.1',
  // TCP only: no socket file whose default directory may not exist.
  '-c',
  'unix_socket_directories=',
  '-c',
  'max_connections=200',
];

const INITDB_FLAGS = [
  '--auth=scram-sha-256',
  '--encoding=UTF8',
  // Unicode-aware everywhere: builtin collation, and a UTF-8 LC_CTYPE so pg_trgm keeps
  // non-ASCII letters (same flags as @shopnow/testkit, so tests see what users see).
  '--locale-provider=builtin',
  '--locale=C.UTF-8',
  '--no-sync',
  '--no-instructions',
];

export function isInitialised(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

export interface Cluster {
  binaries: PostgresBinaries;
  /** The OS user the server runs as (undefined: the current, non-root user). */
  osUser: OsUser | undefined;
}

export async function prepareCluster(): Promise<Cluster> {
  const [binaries, osUser] = await Promise.all([
    resolveBinaries(),
    isRoot() ? ensurePostgresOsUser() : Promise.resolve(undefined),
  ]);
  return { binaries, osUser };
}

/**
 * Runs initdb into `<dataDir>.init` and renames it into place, so a first start
 * that is interrupted never leaves a half-made cluster behind. Returns the
 * parent directories that had to be made traversable for the server's user.
 */
export async function initialiseCluster(cluster: Cluster, opts: PostgresOptions): Promise<string[]> {
  const staging = `${opts.dataDir}.init`;
  await rm(staging, { recursive: true, force: true });
  const opened = await prepareDataDir(staging, cluster.osUser);
  const pwfile = join(dirname(opts.dataDir), `.pg-pwfile-${process.pid}`);
  await writeFile(pwfile, `${opts.superuser.password}\n`, { mode: 0o600 });
  try {
    if (cluster.osUser) await chown(pwfile, cluster.osUser.uid, cluster.osUser.gid);
    const args = ['-D', staging, '-U', opts.superuser.user, `--pwfile=${pwfile}`, ...INITDB_FLAGS];
    const { code } = await runToLog(cluster, cluster.binaries.initdb, args, opts.logFile, opts.env);
    if (code !== 0) {
      const detail = (await readLogTail(opts.logFile, 5)).join(' | ');
      throw new LauncherError(`PostgreSQL initdb failed (exit ${code}): ${detail}`, `see ${opts.logFile}`);
    }
  } finally {
    await rm(pwfile, { force: true });
  }
  await rename(staging, opts.dataDir);
  return opened;
}

export async function startPostgres(cluster: Cluster, opts: PostgresOptions): Promise<RunningPostgres> {
  const fd = openLog(opts.logFile);
  // detached: its own process group, so a terminal Ctrl-C reaches only the launcher,
  // which stops the services first and Postgres last.
  const child = spawn(
    cluster.binaries.postgres,
    [
      '-D',
      opts.dataDir,
      '-p',
      String(opts.port),
      ...SERVER_FLAGS,
      ...(opts.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...(opts.env ?? process.env), LC_MESSAGES: 'C' },
      ...(cluster.osUser ?? {}),
    },
  );
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.once('error', () => undefined); // surfaced through 'exit' / the readiness wait
  let stopping = false;
  // Last resort if the launcher itself dies abruptly: never leave the server behind.
  const onProcessExit = () => child.kill('SIGINT');
  process.once('exit', onProcessExit);

  const url = (database = 'postgres') =>
    `postgres://${encodeURIComponent(opts.superuser.user)}:${encodeURIComponent(opts.superuser.password)}@127.0.0.1:${opts.port}/${database}`;

  const stop = async () => {
    stopping = true;
    process.removeListener('exit', onProcessExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    for (const [signal, waitMs] of [
      ['SIGINT', 20_000],
      ['SIGQUIT', 5_000],
      ['SIGKILL', 5_000],
    ] as const) {
      child.kill(signal);
      if (await settlesWithin(exited, waitMs)) return;
    }
  };

  try {
    await waitUntilAccepting(child, exited, url(), opts);
  } catch (err) {
    await stop();
    throw err;
  }
  void exited.then(({ code, signal }) => {
    if (!stopping) opts.onUnexpectedExit?.(code, signal);
  });
  return { pid: child.pid!, port: opts.port, url, stop };
}

async function waitUntilAccepting(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  url: string,
  opts: PostgresOptions,
): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 30_000;
  while (!gone && Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      if ((err as { code?: string }).code === '28P01') {
        throw new LauncherError(
          `PostgreSQL rejected the launcher's superuser password: secrets.json does not belong to the data in ${opts.dataDir}`,
          'restore the secrets.json that was made with this data, or delete SHOPNOW_HOME to start from scratch (loses local data)',
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw await startFailure(opts, child.pid);
}

/** Turns the server's own FATAL line into one message with a hint of what to do. */
async function startFailure(opts: PostgresOptions, pid: number | undefined): Promise<LauncherError> {
  const tail = await readLogTail(opts.logFile, 30);
  const fatal = tail.findLast((line) => /FATAL|PANIC/.test(line)) ?? tail.at(-1) ?? 'no output';
  const reason = fatal.replace(/^.*?(FATAL|PANIC):\s*/, '');
  let hint = `see ${opts.logFile}`;
  if (/address already in use|could not create any TCP\/IP sockets/i.test(fatal)) {
    hint = `port ${opts.port} is taken: stop what uses it (ss -ltnp), or set SHOPNOW_PG_PORT=<port>`;
  } else if (/lock file .* already exists/i.test(fatal)) {
    hint = `another PostgreSQL uses ${opts.dataDir}: stop it (its pid is the first line of ${join(opts.dataDir, 'postmaster.pid')})`;
  } else if (/incompatible|PG_VERSION/i.test(fatal)) {
    hint = `the data in ${opts.dataDir} was made by another PostgreSQL version: move it away (or delete it to start fresh)`;
  } else if (/permission denied/i.test(fatal)) {
    hint = `fix the ownership of ${opts.dataDir} (it must belong to the user that runs PostgreSQL, mode 700)`;
  }
  return new LauncherError(`PostgreSQL did not start (pid ${pid ?? '?'}): ${reason}`, hint);
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function runToLog(
  cluster: Cluster,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null }> {
  const fd = openLog(logFile);
  try {
    const child = spawn(command, args, {
      stdio: ['ignore', fd, fd],
      env: { ...env, LC_MESSAGES: 'C' },
      ...(cluster.osUser ?? {}),
    });
    return await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code }));
    });
  } finally {
    closeSync(fd);
  }
}
