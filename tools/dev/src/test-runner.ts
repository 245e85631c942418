// `npm test`: one embedded Postgres, one private RabbitMQ node and one private Redis for the
// whole run (started in parallel), shared by every test process through SHOPNOW_TEST_PG_URL
// (each test makes its own database on it), SHOPNOW_TEST_AMQP_URL (each test uses its own names
// on it) and SHOPNOW_TEST_REDIS_URL (each test uses its own key prefix), then `node --test` over
// every workspace. Without rabbitmq-server or redis-server installed, the run goes on without
// that server (one warning line; its tests skip and say why), except under CI, where it fails.
// Extra arguments pass through: `npm test -- --test-name-pattern=x` filters, and any path or glob
// replaces the default set (`npm test -- packages/chassis/test/*.test.ts`).
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type RunningPostgres,
  type RunningRabbitMq,
  type RunningRedis,
  rabbitMqInstalled,
  redisInstalled,
  startPostgres,
  startRabbitMq,
  startRedis,
  TEST_AMQP_URL_ENV,
  TEST_PG_URL_ENV,
  TEST_REDIS_URL_ENV,
} from '@shopnow/testkit';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const DEFAULT_PATTERNS = [
  'packages/*/test/**/*.test.ts',
  'services/*/test/**/*.test.ts',
  'tools/*/test/**/*.test.ts',
  'bench/test/**/*.test.ts',
];
/**
 * Run after the rest, one file at a time: they start the whole platform as a user does, and
 * their timings (first start under 30 s) are the user's, not those of a machine also running
 * another test file.
 */
const END_TO_END_PATTERNS = ['e2e/test/**/*.test.ts'];

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The `node --test` runs, in order: given paths in one run; by default the suites, then e2e alone. */
function nodeTestRuns(extra: string[]): string[][] {
  const flags = extra.filter((arg) => arg.startsWith('-'));
  const paths = extra.filter((arg) => !arg.startsWith('-'));
  // Node's default is cores - 1 (a single file at a time on a 2-core CI box); the suites
  // mostly wait on Postgres and child processes, so run at least two files at once.
  const concurrency = flags.some((flag) => flag.startsWith('--test-concurrency'))
    ? []
    : [`--test-concurrency=${Math.max(2, availableParallelism())}`];
  if (paths.length > 0) return [['--test', ...concurrency, ...flags, ...paths]];
  return [
    ['--test', ...concurrency, ...flags, ...DEFAULT_PATTERNS],
    ['--test', '--test-concurrency=1', ...flags, ...END_TO_END_PATTERNS],
  ];
}

/** The run's broker, or undefined (with one warning line) when RabbitMQ is not installed outside CI. */
async function startBroker(started: number): Promise<RunningRabbitMq | undefined> {
  if (!rabbitMqInstalled()) {
    if (process.env[TEST_AMQP_URL_ENV]) {
      process.stderr.write(
        `test-runner: rabbitmq-server is not installed; using ${TEST_AMQP_URL_ENV} as set\n`,
      );
      return undefined;
    }
    if (process.env.CI) {
      throw new Error(
        'rabbitmq-server is not installed, and CI is set (install it: apt-get install rabbitmq-server)',
      );
    }
    process.stderr.write(
      'test-runner: warning: rabbitmq-server is not installed (apt-get install rabbitmq-server); RabbitMQ tests will skip\n',
    );
    return undefined;
  }
  const broker = await startRabbitMq();
  process.stderr.write(`test-runner: rabbitmq ready on port ${broker.port} in ${Date.now() - started} ms\n`);
  return broker;
}

/** The run's Redis, or undefined (with one warning line) when Redis is not installed outside CI. */
async function startSharedRedis(started: number): Promise<RunningRedis | undefined> {
  if (!redisInstalled()) {
    if (process.env[TEST_REDIS_URL_ENV]) {
      process.stderr.write(
        `test-runner: redis-server is not installed; using ${TEST_REDIS_URL_ENV} as set\n`,
      );
      return undefined;
    }
    if (process.env.CI) {
      throw new Error(
        'redis-server is not installed, and CI is set (install it: apt-get install redis-server)',
      );
    }
    process.stderr.write(
      'test-runner: warning: redis-server is not installed (apt-get install redis-server); Redis tests will skip\n',
    );
    return undefined;
  }
  const redis = await startRedis();
  process.stderr.write(`test-runner: redis ready on port ${redis.port} in ${Date.now() - started} ms\n`);
  return redis;
}

interface Servers {
  postgres: RunningPostgres;
  broker: RunningRabbitMq | undefined;
  redis: RunningRedis | undefined;
}

async function startServers(): Promise<Servers> {
  const started = Date.now();
  const [postgres, broker, redis] = await Promise.allSettled([
    startPostgres().then((server) => {
      process.stderr.write(
        `test-runner: postgres ready on port ${server.port} in ${Date.now() - started} ms\n`,
      );
      return server;
    }),
    startBroker(started),
    startSharedRedis(started),
  ]);
  if (postgres.status === 'rejected' || broker.status === 'rejected' || redis.status === 'rejected') {
    // Whichever started must not outlive the failed run.
    if (postgres.status === 'fulfilled') await postgres.value.stop();
    if (broker.status === 'fulfilled') await broker.value?.stop();
    if (redis.status === 'fulfilled') await redis.value?.stop();
    throw [postgres, broker, redis].find((result) => result.status === 'rejected')?.reason;
  }
  return { postgres: postgres.value, broker: broker.value, redis: redis.value };
}

async function main(): Promise<number> {
  const { postgres, broker, redis } = await startServers();

  try {
    const env: NodeJS.ProcessEnv = {
      // V8's code cache shared by every test process and the services they start: the same
      // modules load hundreds of times in a run (see tools/launcher/src/settings.ts).
      NODE_COMPILE_CACHE: resolve(ROOT, 'node_modules/.cache/shopnow/node-compile'),
      ...process.env,
      [TEST_PG_URL_ENV]: postgres.url,
    };
    if (broker) env[TEST_AMQP_URL_ENV] = broker.url;
    if (redis) env[TEST_REDIS_URL_ENV] = redis.url;
    let failed = 0;
    // Every run goes ahead even when one fails, so a run reports all that fails; a signal stops all.
    for (const args of nodeTestRuns(process.argv.slice(2))) {
      const code = await runNodeTest(args, env);
      if (code === SIGNAL_EXIT_CODES.SIGINT || code === SIGNAL_EXIT_CODES.SIGTERM) return code;
      failed ||= code;
    }
    return failed;
  } finally {
    await Promise.allSettled([postgres.stop(), broker?.stop(), redis?.stop()]);
  }
}

async function runNodeTest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env });
  // Ctrl-C reaches the whole foreground group already; SIGTERM (CI, timeout) must be forwarded.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((done) => {
      child.on('exit', (code, signal) => done(code ?? (signal ? (SIGNAL_EXIT_CODES[signal] ?? 1) : 1)));
      child.on('error', (err) => {
        process.stderr.write(`test-runner: cannot start node --test: ${err.message}\n`);
        done(1);
      });
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`test-runner: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
