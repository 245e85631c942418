// identity: login throughput and latency through the real auth and token services (argon2id
// verification, throttle bookkeeping, a session and a signed token at the token service) against
// bare argon2id verifications at the same concurrency in the same run; and access-token
// verification per core against a bare Ed25519 signature check (identity/verify-rate.ts).

import { execFile } from 'node:child_process';
import { argon2, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { residentMemoryMb } from './child.ts';
import { type VerifyRateResult, verifyRate } from './identity/verify-rate.ts';
import { machine } from './report.ts';
import { firstDatabase, freshDatabase, repoRoot, startServer } from './servers.ts';
import { Teardown } from './teardown.ts';

const run = promisify(execFile);
const argon2Async = promisify(argon2);
/** auth's parameters (services/auth/src/passwords/argon2.ts): OWASP's minimum for argon2id. */
const ARGON2 = { parallelism: 1, tagLength: 32, memory: 19_456, passes: 2 } as const;

export interface IdentityOptions {
  /** Concurrent logins (connections), the same for the argon2id baseline. */
  connections: number;
  durationSec: number;
  warmupSec: number;
  runDir: string;
  log?: (line: string) => void;
}

export interface IdentityResult {
  benchmark: 'identity';
  startedAt: string;
  machine: ReturnType<typeof machine>;
  settings: { connections: number; durationSec: number; warmupSec: number; argon2: typeof ARGON2 };
  login: {
    perSec: number;
    latencyMs: { p50: number; p99: number; mean: number };
    requests: number;
    authRssMb: number | undefined;
    tokenRssMb: number | undefined;
  };
  /** argon2id verifications per second, `connections` at once, in one process. */
  argon2PerSec: number;
  /** login perSec / argon2PerSec. */
  loginRatio: number;
  verification: VerifyRateResult;
  pass: boolean;
}

export async function identityBench(opts: IdentityOptions): Promise<IdentityResult> {
  const log = opts.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const teardown = new Teardown();
  try {
    const tokenDb = await firstDatabase(teardown, log);
    const authDb = await freshDatabase(teardown);
    const busUrl = await freshDatabase(teardown);
    const clientSecret = randomBytes(24).toString('hex');
    log('token, auth: migrate');
    for (const [service, url] of [
      ['token', tokenDb],
      ['auth', authDb],
    ] as const) {
      await run(process.execPath, [`services/${service}/src/admin.ts`, 'migrate'], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: url, BUS_DATABASE_URL: busUrl },
      });
    }
    const common = { BUS_DATABASE_URL: busUrl, LOG_LEVEL: 'info', DISCOVERY: 'static' };
    const token = await startServer(teardown, opts.runDir, 'token', {
      args: ['services/token/src/main.ts'],
      env: { ...common, DATABASE_URL: tokenDb, SERVICE_CLIENTS: `auth=${clientSecret}` },
      readyPath: '/health/ready',
    });
    const auth = await startServer(teardown, opts.runDir, 'auth', {
      args: ['services/auth/src/main.ts'],
      env: {
        ...common,
        DATABASE_URL: authDb,
        SERVICE_CLIENT_SECRET: clientSecret,
        SERVICE_URLS: `token=${token.url}`,
      },
      readyPath: '/health/ready',
    });

    log(`auth: ${opts.connections} accounts (one per connection: a login holds its account's throttle row)`);
    const accounts = await createAccounts(opts, authDb);
    const login = (durationSec: number) => driveLogins(`${auth.url}/login`, accounts, durationSec);
    if (opts.warmupSec > 0) {
      log(`login: warm-up ${opts.warmupSec} s`);
      await login(opts.warmupSec);
    }
    log(`login: ${opts.durationSec} s, ${opts.connections} at once`);
    const measured = await login(opts.durationSec);
    log(`argon2id baseline: ${opts.durationSec} s, ${opts.connections} at once`);
    const argon2PerSec = await argon2Rate(opts.connections, opts.durationSec);
    log('token verification per core');
    const verification = await verifyRate({ seconds: Math.max(4, opts.durationSec), warmupSec: 1 });

    return {
      benchmark: 'identity',
      startedAt,
      machine: machine(),
      settings: {
        connections: opts.connections,
        durationSec: opts.durationSec,
        warmupSec: opts.warmupSec,
        argon2: ARGON2,
      },
      login: {
        ...measured,
        authRssMb: residentMemoryMb(auth.child),
        tokenRssMb: residentMemoryMb(token.child),
      },
      argon2PerSec,
      loginRatio: Math.round((measured.perSec / argon2PerSec) * 100) / 100,
      verification,
      // No target in the issue: the numbers are recorded. A run is valid when every login succeeded.
      pass: true,
    };
  } finally {
    await teardown.run();
  }
}

interface Account {
  email: string;
  password: string;
}

async function createAccounts(opts: IdentityOptions, databaseUrl: string): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let i = 0; i < opts.connections; i++) {
    const account = { email: `bench-${i}@shopnow.example`, password: randomBytes(12).toString('base64url') };
    const file = join(opts.runDir, `.password-${i}`);
    await writeFile(file, account.password, { mode: 0o600 });
    await run(
      process.execPath,
      [
        'services/auth/src/admin.ts',
        'create-account',
        '--email',
        account.email,
        '--password-file',
        file,
        '--verified',
      ],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl } },
    );
    accounts.push(account);
  }
  return accounts;
}

async function driveLogins(url: string, accounts: Account[], durationSec: number) {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: accounts.length,
    pipelining: 1,
    duration: durationSec,
    // Each connection logs in as its own account.
    setupClient: (client) => client.setBody(JSON.stringify(accounts[next++ % accounts.length])),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `login: ${result.non2xx} non-2xx answers and ${result.errors} errors; not a valid measurement`,
    );
  }
  return {
    perSec: Math.round((result.requests.total / durationSec) * 10) / 10,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: Math.round(result.latency.mean) },
    requests: result.requests.total,
  };
}

/** argon2id runs of auth's parameters, `concurrency` at once for `seconds`; per second. */
async function argon2Rate(concurrency: number, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await argon2Async('argon2id', { message: 'correct horse battery', nonce: randomBytes(16), ...ARGON2 });
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Math.round((done / ((performance.now() - started) / 1000)) * 10) / 10;
}

const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

export function identitySummaryLine(r: IdentityResult): string {
  return (
    `identity: login ${count(r.login.perSec)}/s, p99 ${count(r.login.latencyMs.p99)} ms (${r.settings.connections} at once)` +
    ` = ${r.loginRatio.toFixed(2)} × argon2id alone ${count(r.argon2PerSec)}/s;` +
    ` token verification ${count(r.verification.verifierPerSec)}/s per core` +
    ` = ${r.verification.ratio.toFixed(2)} × bare Ed25519 ${count(r.verification.signaturePerSec)}/s`
  );
}
