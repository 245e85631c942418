import { hostname } from 'node:os';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { redactSecrets } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerConfig {
  service: string;
  version: string;
  /** pino level; default `info`. */
  level?: string | undefined;
  /** Where lines go; default stdout, buffered (see stdoutDestination). */
  stream?: DestinationStream | undefined;
}

/**
 * The one logger factory: JSON lines with `service` and `version` on every line, ISO time,
 * level names instead of numbers, and secrets (authorization, cookies, passwords, tokens, keys)
 * redacted from logged objects and from serialized errors.
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service, version: config.version, pid: process.pid, hostname: hostname() },
    timestamp: isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecrets(object),
    },
    // The serialized error is a plain copy (own fields such as an HTTP client's `config.headers`).
    serializers: { err: (err: Error) => redactSecrets({ ...pino.stdSerializers.err(err) }) },
  };
  return pino(options, config.stream ?? stdoutDestination());
}

/**
 * stdout written synchronously in batches of ~4 KB (and at least every 200 ms) instead of one
 * write(2) per line, and without handing each write to the libuv thread pool: a per-request log
 * line otherwise costs more than the rest of the chassis. Flushed on process exit (process.exit
 * included, so crash and shutdown lines are kept); only a SIGKILL or an OOM kill can lose the
 * last 200 ms of lines.
 */
function stdoutDestination(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: 200 });
  process.once('exit', () => destination.flushSync());
  return destination;
}

let lastMs = 0;
let lastTime = '';

/** pino's isoTime, formatted once per millisecond instead of once per line. */
function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}
