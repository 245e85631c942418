import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

/** Env var naming a shared Redis (a redis:// URL) for all test processes; set by `npm test`. */
export const TEST_REDIS_URL_ENV = 'SHOPNOW_TEST_REDIS_URL';

/** Where Debian's `redis-server` package puts the server. */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** The shared Redis's URL, or undefined when the run has none (Redis is not installed). */
export function testRedisUrl(): string | undefined {
  return process.env[TEST_REDIS_URL_ENV] || undefined;
}

/** True when the server binary startRedis() runs is installed on this machine. */
export function redisInstalled(): boolean {
  try {
    accessSync(REDIS_SERVER, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      `testkit: Redis is not installed (${REDIS_SERVER} is missing); ` +
        'install it with `apt-get install redis-server` (the service need not run: tests start their own server)',
    );
    this.name = 'RedisNotInstalledError';
  }
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Port on 127.0.0.1; the same after restart() and up(). */
  port: number;
  /** Working directory of the server (its log is `redis.log` there); deleted on stop(). */
  dir: string;
  /** OS pid of the server (changes on restart()); 0 while it is down or stopped. */
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL) and deletes its dir; idempotent. */
  stop(): Promise<void>;
  /** Stops the server and starts a fresh one on the same port (no persistence: data is gone). */
  restart(): Promise<void>;
  /** Stops the server, keeping its port for up(): an outage of a length the caller chooses. */
  down(): Promise<void>;
  /** Starts the server again after down() (or after the test killed it); a no-op if it runs. */
  up(): Promise<void>;
}

const START_ATTEMPTS = 3;
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const PING_TIMEOUT_MS = 1_000;

interface Processes {
  server: ChildProcess;
  watchdog: ChildProcess;
  onExit: () => void;
}

class PortTakenError extends Error {}

/**
 * Starts a private redis-server on a free loopback port, without persistence (`--save ''
 * --appendonly no`) and with a temp working dir, and resolves once it answers PING. The server
 * does not keep the caller's event loop alive; a watchdog stops it if the caller dies without stop().
 */
export async function startRedis(): Promise<RunningRedis> {
  if (!redisInstalled()) throw new RedisNotInstalledError();
  const dir = await mkdtemp(join(tmpdir(), 'shopnow-redis-'));
  try {
    let started: { port: number; processes: Processes } | undefined;
    for (let attempt = 1; started === undefined; attempt++) {
      const port = await freePort();
      try {
        started = { port, processes: await launch(dir, port) };
      } catch (err) {
        // Another process may have taken the port between freePort() and the bind: try another.
        if (!(err instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw err;
      }
    }
    return manage(dir, started.port, started.processes);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function launch(dir: string, port: number): Promise<Processes> {
  const output = openSync(join(dir, 'redis.log'), 'a');
  let server: ChildProcess;
  try {
    server = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
        // The test owns the server: no protected-mode refusals, no RDB file on shutdown.
        '--protected-mode',
        'no',
      ],
      { cwd: dir, stdio: ['ignore', output, output] },
    );
  } finally {
    closeSync(output);
  }
  server.unref();
  const watchdog = startWatchdog(server.pid ?? 0, dir);
  const onExit = () => signal(server, 'SIGKILL');
  process.on('exit', onExit);
  const processes: Processes = { server, watchdog, onExit };
  try {
    await waitUntilReady(dir, port, server);
    return processes;
  } catch (err) {
    await terminate(processes);
    if (err instanceof Error && !(err instanceof PortTakenError)) err.message += `\n${await logTail(dir)}`;
    throw err;
  }
}

async function waitUntilReady(dir: string, port: number, server: ChildProcess): Promise<void> {
  let spawnError: Error | undefined;
  server.once('error', (err) => {
    spawnError = err;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`testkit: cannot run ${REDIS_SERVER}: ${spawnError.message}`);
    if (hasExited(server)) {
      const tail = await logTail(dir);
      if (/address already in use/i.test(tail)) throw new PortTakenError(`testkit: port ${port} taken`);
      throw new Error(
        `testkit: redis-server exited (code ${server.exitCode ?? server.signalCode}) during startup`,
      );
    }
    try {
      await ping(port, PING_TIMEOUT_MS);
      return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(20);
  }
  throw new Error(
    `testkit: redis did not answer PING on port ${port} within ${START_TIMEOUT_MS} ms (${lastError})`,
  );
}

/** One inline PING; resolves on `+PONG`. */
function ping(port: number, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) fail(err);
      else done();
    };
    const timer = setTimeout(() => finish(new Error('PING timed out')), timeoutMs);
    socket.once('error', (err) => finish(err));
    socket.once('close', () =>
      finish(new Error(`connection closed before PONG (${reply.trim() || 'no reply'})`)),
    );
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (!reply.includes('\r\n')) return;
      if (reply.startsWith('+PONG')) finish();
      else finish(new Error(`unexpected reply: ${reply.trim()}`)); // e.g. -LOADING
    });
  });
}

async function logTail(dir: string): Promise<string> {
  const text = await readFile(join(dir, 'redis.log'), 'utf8').catch(() => '');
  return `--- redis.log\n${text.trimEnd().split('\n').slice(-20).join('\n')}`;
}

function manage(dir: string, port: number, first: Processes): RunningRedis {
  let current: Processes | undefined = first;
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<void>): Promise<void> => {
    const next = busy.then(task);
    busy = next.catch(() => {});
    return next;
  };
  const stopServer = async () => {
    const processes = current;
    current = undefined;
    if (processes) await terminate(processes);
  };
  const startServer = async () => {
    // Same port, so clients reconnect to it; retried while the old socket lingers.
    for (let attempt = 1; current === undefined; attempt++) {
      try {
        current = await launch(dir, port);
      } catch (err) {
        if (!(err instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw err;
        await sleep(200);
      }
    }
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return current && !hasExited(current.server) ? (current.server.pid ?? 0) : 0;
    },
    stop: () =>
      serial(async () => {
        if (stopped) return;
        stopped = true;
        await stopServer();
        await rm(dir, { recursive: true, force: true });
      }),
    restart: () =>
      serial(async () => {
        if (stopped) throw new Error('testkit: restart() after stop()');
        await stopServer();
        await startServer();
      }),
    down: () =>
      serial(async () => {
        if (stopped) throw new Error('testkit: down() after stop()');
        await stopServer();
      }),
    up: () =>
      serial(async () => {
        if (stopped) throw new Error('testkit: up() after stop()');
        if (
          current &&
          (await ping(port, PING_TIMEOUT_MS).then(
            () => true,
            () => false,
          ))
        )
          return;
        // Killed from outside (the test's SIGKILL), perhaps not yet reaped: clear it first.
        await stopServer();
        await startServer();
      }),
  };
}

async function terminate(processes: Processes): Promise<void> {
  const { server, watchdog, onExit } = processes;
  disarm(watchdog);
  process.removeListener('exit', onExit);
  signal(server, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (!hasExited(server) && Date.now() < deadline) await sleep(20);
  if (!hasExited(server)) {
    signal(server, 'SIGKILL');
    while (!hasExited(server) && Date.now() < deadline + 2_000) await sleep(20);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (!hasExited(child)) child.kill(name);
}

// POSIX sh, so it needs no Node and survives a SIGKILL of the process that started it.
// It watches only the owner: a server the test kills on purpose must not take its dir along.
// $1 owner pid, $2 redis-server pid, $3 dir to delete.
const WATCHDOG = `
while kill -0 "$1" 2>/dev/null; do sleep 1; done
kill -TERM "$2" 2>/dev/null
i=0
while [ "$i" -lt 50 ] && kill -0 "$2" 2>/dev/null; do sleep 0.1; i=$((i+1)); done
kill -KILL "$2" 2>/dev/null
rm -rf "$3"
`;

function startWatchdog(serverPid: number, dir: string): ChildProcess {
  const child = spawn(
    'sh',
    ['-c', WATCHDOG, 'shopnow-redis-watchdog', String(process.pid), String(serverPid), dir],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  return child;
}

function disarm(watchdog: ChildProcess): void {
  // Negative pid = its whole process group, so its `sleep` goes too.
  if (watchdog.pid && !hasExited(watchdog)) {
    try {
      process.kill(-watchdog.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
