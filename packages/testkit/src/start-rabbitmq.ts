import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';
import { utf8Locale } from './utf8-locale.ts';

/** Env var naming a shared RabbitMQ (an amqp:// URL) for all test processes; set by `npm test`. */
export const TEST_AMQP_URL_ENV = 'SHOPNOW_TEST_AMQP_URL';

/** Where Debian's `rabbitmq-server` package puts the server script. */
export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** The shared broker's URL, or undefined when the run has none (RabbitMQ is not installed). */
export function testAmqpUrl(): string | undefined {
  return process.env[TEST_AMQP_URL_ENV] || undefined;
}

/** True when the server binary startRabbitMq() runs is installed on this machine. */
export function rabbitMqInstalled(): boolean {
  try {
    accessSync(RABBITMQ_SERVER, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class RabbitMqNotInstalledError extends Error {
  constructor() {
    super(
      `testkit: RabbitMQ is not installed (${RABBITMQ_SERVER} is missing); ` +
        'install it with `apt-get install rabbitmq-server` (the service need not run: tests start their own node)',
    );
    this.name = 'RabbitMqNotInstalledError';
  }
}

export interface StartRabbitMqOptions {
  /** Root of the node's files (data, logs, cookie), kept after stop() and reused by the next start. Default: a fresh temp dir, deleted on stop(). */
  dataDir?: string;
}

export interface RunningRabbitMq {
  /** `amqp://guest:guest@127.0.0.1:<port>` (the default vhost). */
  url: string;
  /** AMQP port on 127.0.0.1; the same after restart(). */
  port: number;
  /** Erlang node name (`shopnow-<random>@localhost`); the data belongs to it. */
  nodeName: string;
  /** Root of the node's files. */
  dir: string;
  /** OS pid of the Erlang VM (changes on restart()); 0 once stopped. */
  readonly pid: number;
  /** Stops the node (gracefully, then by force), its private epmd, and deletes a temp dir; idempotent. */
  stop(): Promise<void>;
  /** Stops the node and starts it again on the same port with the same data (durable queues survive). */
  restart(): Promise<void>;
  /** Stops the node, keeping its data and port for up(): an outage of a length the caller chooses. */
  down(): Promise<void>;
  /** Starts a node that down() stopped, on the same port with the same data; a no-op if it is running. */
  up(): Promise<void>;
}

const USER = 'guest';
const START_ATTEMPTS = 3;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
const HANDSHAKE_TIMEOUT_MS = 2_000;

// No plugins, logs to a file, loopback only (the listener address comes from the environment).
const CONFIG = ['log.console = false', 'log.file.level = info', 'loopback_users.guest = true', ''].join('\n');

interface Ports {
  amqp: number;
  dist: number;
  epmd: number;
}

interface Processes {
  /** The rabbitmq-server script: it traps SIGTERM/SIGINT and stops the VM gracefully. */
  wrapper: ChildProcess;
  /** A private epmd on its own port, so nothing is left in the shared one on 4369. */
  epmd: ChildProcess;
  pidFile: string;
  beamPid: number;
  watchdog: ChildProcess;
  onExit: () => void;
}

/**
 * Starts a private RabbitMQ node (Debian's rabbitmq-server) on free loopback ports, with its own
 * epmd, Erlang cookie and data under one directory, and resolves once a real AMQP handshake
 * (PLAIN guest/guest, vhost `/`) succeeds. Works as root. The node does not keep the caller's
 * event loop alive; a watchdog stops it if the caller dies without stop().
 */
export async function startRabbitMq(options: StartRabbitMqOptions = {}): Promise<RunningRabbitMq> {
  if (!rabbitMqInstalled()) throw new RabbitMqNotInstalledError();
  const temp = options.dataDir === undefined;
  const dir = temp ? await mkdtemp(join(tmpdir(), 'shopnow-rabbitmq-')) : resolve(options.dataDir as string);
  try {
    await prepareDir(dir);
    const nodeName = await nodeNameOf(dir);
    let started: { ports: Ports; processes: Processes } | undefined;
    for (let attempt = 1; started === undefined; attempt++) {
      const ports = { amqp: await freePort(), dist: await freePort(), epmd: await freePort() };
      try {
        started = { ports, processes: await launch(dir, nodeName, ports, temp) };
      } catch (err) {
        // Another process may have taken a port between freePort() and the bind: try new ones.
        if (!(err instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw err;
      }
    }
    return manage(dir, nodeName, started.ports, started.processes, temp);
  } catch (err) {
    if (temp) await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function prepareDir(dir: string): Promise<void> {
  for (const sub of ['home', 'mnesia', 'log']) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, 'rabbitmq.conf'), CONFIG);
  await writeFile(join(dir, 'enabled_plugins'), '[].\n');
}

/** A node's data is tied to its name, so a kept dir remembers the name it was created with. */
async function nodeNameOf(dir: string): Promise<string> {
  const file = join(dir, 'node-name');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim()) return existing.trim();
  const name = `shopnow-${randomBytes(6).toString('hex')}@localhost`;
  await writeFile(file, `${name}\n`);
  return name;
}

class PortTakenError extends Error {}

async function launch(dir: string, nodeName: string, ports: Ports, temp: boolean): Promise<Processes> {
  const epmd = await startEpmd(dir, ports.epmd);
  const pidFile = join(dir, 'beam.pid');
  await rm(pidFile, { force: true });
  const output = openSync(join(dir, 'output.log'), 'a');
  let wrapper: ChildProcess;
  try {
    wrapper = spawn(RABBITMQ_SERVER, [], {
      env: serverEnv(dir, nodeName, ports, pidFile),
      stdio: ['ignore', output, output],
    });
  } finally {
    closeSync(output);
  }
  const watchdog = startWatchdog(wrapper.pid ?? 0, pidFile, epmd.pid ?? 0, temp ? dir : '');
  const onExit = () => {
    signal(wrapper, 'SIGTERM');
    signal(epmd, 'SIGTERM');
  };
  process.on('exit', onExit);
  const processes: Processes = { wrapper, epmd, pidFile, beamPid: 0, watchdog, onExit };
  wrapper.unref();
  try {
    processes.beamPid = await waitUntilReady(dir, nodeName, ports.amqp, wrapper, pidFile);
    return processes;
  } catch (err) {
    await terminate(processes);
    if (err instanceof Error && !(err instanceof PortTakenError)) {
      err.message += `\n${await logTail(dir, nodeName)}`;
    }
    throw err;
  }
}

function serverEnv(dir: string, nodeName: string, ports: Ports, pidFile: string): NodeJS.ProcessEnv {
  const locale = utf8Locale();
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // The Erlang cookie lives in $HOME: a private one, never root's or the system node's.
    HOME: join(dir, 'home'),
    LANG: locale,
    LC_ALL: locale,
    ERL_EPMD_PORT: String(ports.epmd),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(ports.amqp),
    RABBITMQ_DIST_PORT: String(ports.dist),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    // Keep /etc/rabbitmq/rabbitmq-env.conf (the system node's settings) out.
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: pidFile,
  };
}

async function startEpmd(dir: string, port: number): Promise<ChildProcess> {
  // Its environment names the node's dir, like the VM's, so a leftover process is easy to trace.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(dir, 'home') };
  const epmd = spawn('epmd', ['-port', String(port), '-address', '127.0.0.1'], { env, stdio: 'ignore' });
  epmd.unref();
  const failed = new Promise<never>((_, reject) => {
    epmd.once('error', (err) => reject(new Error(`testkit: cannot run epmd: ${err.message}`)));
    epmd.once('exit', (code) => reject(new PortTakenError(`testkit: epmd exited (${code}) on port ${port}`)));
  });
  failed.catch(() => {});
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const listening = await Promise.race([tcpOpen(port), failed]);
    if (listening) return epmd;
    await sleep(20);
  }
  signal(epmd, 'SIGKILL');
  throw new Error(`testkit: epmd did not listen on port ${port}`);
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function waitUntilReady(
  dir: string,
  nodeName: string,
  port: number,
  wrapper: ChildProcess,
  pidFile: string,
): Promise<number> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited(wrapper)) {
      const tail = await logTail(dir, nodeName);
      if (/eaddrinuse|already in use/i.test(tail)) throw new PortTakenError(`testkit: port taken\n${tail}`);
      throw new Error(
        `testkit: rabbitmq-server exited (code ${wrapper.exitCode ?? wrapper.signalCode}) during startup`,
      );
    }
    const beamPid = await readPid(pidFile);
    if (beamPid > 0) {
      try {
        await amqpHandshake(port, HANDSHAKE_TIMEOUT_MS);
        return beamPid;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    await sleep(100);
  }
  throw new Error(
    `testkit: rabbitmq did not accept AMQP on port ${port} within ${START_TIMEOUT_MS} ms (${lastError})`,
  );
}

async function logTail(dir: string, nodeName: string): Promise<string> {
  const read = async (file: string) =>
    (await readFile(file, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-30).join('\n');
  return `--- output.log\n${await read(join(dir, 'output.log'))}\n--- ${nodeName}.log\n${await read(join(dir, 'log', `${nodeName}.log`))}`;
}

function manage(
  dir: string,
  nodeName: string,
  ports: Ports,
  first: Processes,
  temp: boolean,
): RunningRabbitMq {
  let current: Processes | undefined = first;
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<void>): Promise<void> => {
    const next = busy.then(task);
    busy = next.catch(() => {});
    return next;
  };

  const stopProcesses = async () => {
    const processes = current;
    current = undefined;
    if (processes) await terminate(processes);
  };

  const startProcesses = async () => {
    // Same node name (the data is its) and AMQP port (clients reconnect to it); fresh
    // epmd and distribution ports, which nobody outside the node uses.
    for (let attempt = 1; current === undefined; attempt++) {
      const next = { ...ports, dist: await freePort(), epmd: await freePort() };
      try {
        current = await launch(dir, nodeName, next, temp);
      } catch (err) {
        if (!(err instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw err;
      }
    }
  };

  const running: RunningRabbitMq = {
    url: `amqp://${USER}:${USER}@127.0.0.1:${ports.amqp}`,
    port: ports.amqp,
    nodeName,
    dir,
    get pid() {
      return current?.beamPid ?? 0;
    },
    stop: () =>
      serial(async () => {
        if (stopped) return;
        stopped = true;
        await stopProcesses();
        if (temp) await rm(dir, { recursive: true, force: true });
      }),
    restart: () =>
      serial(async () => {
        if (stopped) throw new Error('testkit: restart() after stop()');
        await stopProcesses();
        await startProcesses();
      }),
    down: () =>
      serial(async () => {
        if (stopped) throw new Error('testkit: down() after stop()');
        await stopProcesses();
      }),
    up: () =>
      serial(async () => {
        if (stopped) throw new Error('testkit: up() after stop()');
        await startProcesses();
      }),
  };
  return running;
}

/** Graceful stop through the script's SIGTERM trap, SIGKILL after a grace period, then epmd. */
async function terminate(processes: Processes): Promise<void> {
  const { wrapper, epmd, watchdog, onExit } = processes;
  // Disarm first: the watchdog must not delete a dir that restart() is about to reuse.
  disarm(watchdog);
  process.removeListener('exit', onExit);
  const beamPid = processes.beamPid || (await readPid(processes.pidFile));
  signal(wrapper, 'SIGTERM');
  if (beamPid > 0) kill(beamPid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while ((!hasExited(wrapper) || (beamPid > 0 && isAlive(beamPid))) && Date.now() < deadline) await sleep(50);
  if (!hasExited(wrapper) || (beamPid > 0 && isAlive(beamPid))) {
    signal(wrapper, 'SIGKILL');
    if (beamPid > 0) kill(beamPid, 'SIGKILL');
    while ((!hasExited(wrapper) || (beamPid > 0 && isAlive(beamPid))) && Date.now() < deadline + 5_000) {
      await sleep(50);
    }
  }
  signal(epmd, 'SIGTERM');
  const epmdDeadline = Date.now() + 2_000;
  while (!hasExited(epmd) && Date.now() < epmdDeadline) await sleep(20);
  signal(epmd, 'SIGKILL');
}

async function readPid(file: string): Promise<number> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (!hasExited(child)) child.kill(name);
}

function kill(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Alive and not a zombie awaiting its reaper (tests use it too). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: kill(0) is all we know
  }
}

// POSIX sh, so it needs no Node and survives a SIGKILL of the process that started it.
// $1 owner pid, $2 rabbitmq-server script pid, $3 the VM's pid file, $4 epmd pid, $5 dir to delete ('' = keep).
const WATCHDOG = `
while kill -0 "$1" 2>/dev/null; do sleep 1; done
beam=$(cat "$3" 2>/dev/null)
kill -TERM "$2" 2>/dev/null
if [ -n "$beam" ]; then kill -TERM "$beam" 2>/dev/null; fi
i=0
while [ "$i" -lt 200 ] && { kill -0 "$2" 2>/dev/null || { [ -n "$beam" ] && kill -0 "$beam" 2>/dev/null; }; }; do sleep 0.1; i=$((i+1)); done
kill -KILL "$2" 2>/dev/null
if [ -n "$beam" ]; then kill -KILL "$beam" 2>/dev/null; fi
kill -TERM "$4" 2>/dev/null
if [ -n "$5" ]; then rm -rf "$5"; fi
`;

function startWatchdog(
  wrapperPid: number,
  pidFile: string,
  epmdPid: number,
  removeDir: string,
): ChildProcess {
  const child = spawn(
    'sh',
    [
      '-c',
      WATCHDOG,
      'shopnow-rabbitmq-watchdog',
      String(process.pid),
      String(wrapperPid),
      pidFile,
      String(epmdPid),
      removeDir,
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  return child;
}

function disarm(watchdog: ChildProcess): void {
  // Negative pid = its whole process group, so its `sleep` goes too.
  if (watchdog.pid && !hasExited(watchdog)) kill(-watchdog.pid, 'SIGTERM');
}

// --- A minimal AMQP 0-9-1 client: just enough to prove the broker accepts a login. ---

const FRAME_METHOD = 1;
const FRAME_END = 0xce;

function methodFrame(classId: number, methodId: number, args: Buffer): Buffer {
  const payload = Buffer.concat([u16(classId), u16(methodId), args]);
  return Buffer.concat([
    Buffer.from([FRAME_METHOD]),
    u16(0),
    u32(payload.length),
    payload,
    Buffer.from([FRAME_END]),
  ]);
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const shortStr = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);
const longStr = (s: string) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);

/** Connection.Start → Start-Ok (PLAIN) → Tune → Tune-Ok, Open(`/`) → Open-Ok → Close. */
function amqpHandshake(port: number, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) fail(err);
      else done();
    };
    const timer = setTimeout(() => finish(new Error('AMQP handshake timed out')), timeoutMs);
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error('connection closed during the AMQP handshake')));
    socket.once('connect', () => socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 7) {
        if (buffer.toString('latin1', 0, 4) === 'AMQP') return finish(new Error('protocol version refused'));
        const size = buffer.readUInt32BE(3);
        if (buffer.length < 8 + size) return;
        const type = buffer[0];
        const payload = buffer.subarray(7, 7 + size);
        buffer = buffer.subarray(8 + size);
        if (type !== FRAME_METHOD) continue;
        const method = `${payload.readUInt16BE(0)}.${payload.readUInt16BE(2)}`;
        if (method === '10.10') {
          const clientProperties = u32(0);
          socket.write(
            methodFrame(
              10,
              11,
              Buffer.concat([
                clientProperties,
                shortStr('PLAIN'),
                longStr(`\0${USER}\0${USER}`),
                shortStr('en_US'),
              ]),
            ),
          );
        } else if (method === '10.30') {
          const channelMax = payload.readUInt16BE(4);
          const frameMax = payload.readUInt32BE(6);
          socket.write(methodFrame(10, 31, Buffer.concat([u16(channelMax), u32(frameMax), u16(0)])));
          socket.write(methodFrame(10, 40, Buffer.concat([shortStr('/'), shortStr(''), Buffer.from([0])])));
        } else if (method === '10.41') {
          // Logged in: say goodbye properly, so the broker logs no abrupt disconnect.
          socket.write(methodFrame(10, 50, Buffer.concat([u16(200), shortStr(''), u16(0), u16(0)])));
        } else if (method === '10.51') {
          return finish();
        } else if (method === '10.50') {
          const text = payload.toString('utf8', 7, 7 + (payload[6] ?? 0));
          return finish(new Error(`broker refused the connection: ${payload.readUInt16BE(4)} ${text}`));
        }
      }
    });
  });
}
