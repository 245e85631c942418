import type { CleanedEnv, ValidatorSpec } from 'envalid';
import * as envalid from 'envalid';

export type { CleanedEnv } from 'envalid';
export { bool, email, host, json, makeValidator, num, port, str, url } from 'envalid';

/** Thrown by loadConfig; `message` is one line naming each bad variable and what it wants. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** An integer >= 1 (sizes, timeouts, pool sizes). */
export const positiveInt = envalid.makeValidator<number>((input) => {
  const n = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || !Number.isSafeInteger(n) || n < 1)
    throw new Error('not a positive integer');
  return n;
});

/** A `postgres://` or `postgresql://` connection URL. */
export const postgresUrl = envalid.makeValidator<string>((input) => {
  const protocol = URL.parse(input)?.protocol;
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') throw new Error('not a postgres URL');
  return input;
});

/** What each validator wants, for the error line (a spec's own `desc` takes precedence). */
const WANTS = new Map<unknown, string>([
  [envalid.str()._parse, 'a string'],
  [envalid.num()._parse, 'a number'],
  [envalid.bool()._parse, 'a boolean (true/false/1/0/yes/no)'],
  [envalid.port()._parse, 'a port number 1-65535'],
  [envalid.url()._parse, 'a URL'],
  [envalid.host()._parse, 'a host name or IP address'],
  [envalid.email()._parse, 'an email address'],
  [envalid.json()._parse, 'JSON'],
  [positiveInt()._parse, 'a positive integer'],
  [postgresUrl()._parse, 'a postgres:// URL'],
]);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The variables every service understands (see README "Environment variables"). */
export const baseConfigSpec = {
  HOST: envalid.host({ default: '0.0.0.0' }),
  PORT: envalid.port({ default: 8080 }),
  LOG_LEVEL: envalid.str({ choices: LOG_LEVELS, default: 'info' }),
  DATABASE_URL: postgresUrl({ default: undefined }),
  DATABASE_POOL_MAX: positiveInt({ default: 10 }),
  /**
   * Apply pending migrations before serving (replicas serialise on an advisory lock). The
   * embedded launcher sets it, saving an admin process per service; in Kubernetes, run
   * `admin.ts migrate` as a Job before the rollout instead.
   */
  MIGRATE_ON_START: envalid.bool({ default: false }),
  BODY_LIMIT_BYTES: positiveInt({ default: 1_048_576 }),
  SHUTDOWN_TIMEOUT_MS: positiveInt({ default: 10_000 }),
  /** Default `<service>-<hostname>-<pid>`, filled in by runService. */
  INSTANCE_ID: envalid.str({ default: undefined }),
  /** Default `http://127.0.0.1:<PORT>`, filled in by runService. */
  ADVERTISE_URL: envalid.url({ default: undefined }),
  DISCOVERY: envalid.str({ choices: ['static', 'registry', 'dns'] as const, default: 'static' }),
  REGISTRY_URL: envalid.url({
    default: undefined,
    requiredWhen: (env) => env.DISCOVERY === 'registry',
    desc: 'a URL (required when DISCOVERY=registry)',
  }),
  DISCOVERY_DNS_SUFFIX: envalid.str({ default: '' }),
  DISCOVERY_DNS_PORT: envalid.port({ default: 8080 }),
  /** `product=http://a:1|http://b:2,cart=http://c:3` */
  SERVICE_URLS: envalid.str({ default: '' }),
};

export type BaseConfig = CleanedEnv<typeof baseConfigSpec>;

/**
 * Validate `env` against `spec` (envalid). All problems are reported at once, on ONE line:
 * `config: PORT must be a port number 1-65535 (got "abc"); DATABASE_URL is required (a postgres:// URL)`.
 */
export function loadConfig<S extends Record<string, ValidatorSpec<unknown>>>(
  spec: S,
  env: Record<string, string | undefined> = process.env,
): CleanedEnv<S> {
  return envalid.cleanEnv(env, spec, {
    reporter: ({ errors }) => {
      const problems = Object.entries(errors as Record<string, Error | undefined>).flatMap(([name, err]) =>
        err === undefined ? [] : [describe(name, err, spec[name], env[name])],
      );
      if (problems.length > 0) throw new ConfigError(`config: ${problems.join('; ')}`);
    },
  });
}

function describe(
  name: string,
  err: Error,
  spec: ValidatorSpec<unknown> | undefined,
  raw: string | undefined,
) {
  const wants = spec?.desc ?? choicesOf(spec) ?? WANTS.get(spec?._parse) ?? err.message;
  if (raw === undefined || err instanceof envalid.EnvMissingError) return `${name} is required (${wants})`;
  return `${name} must be ${wants} (got ${shown(name, raw)})`;
}

function choicesOf(spec: ValidatorSpec<unknown> | undefined): string | undefined {
  return spec?.choices ? `one of ${spec.choices.join(', ')}` : undefined;
}

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL/i;

/** The offending value, quoted on one line, never a secret: credentials in URLs are masked. */
function shown(name: string, raw: string): string {
  if (SECRET_NAME.test(name)) return `a value of ${raw.length} characters`;
  const masked = raw.replace(/(\/\/[^/:@\s]*:)[^@/\s]*@/, '$1***@');
  return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
}

/** For main(): print the one-line reason to stderr and exit 1; anything else is rethrown. */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
