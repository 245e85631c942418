import { hostname } from 'node:os';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { batchedStdout } from './log-destination.ts';
import { redactSecrets } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerConfig {
  service: string;
  version: string;
  /** pino level; default `info`. */
  level?: string | undefined;
  /** Where lines go; default stdout, written in batches (see batchedStdout). */
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
  return pino(options, config.stream ?? batchedStdout());
}

let lastMs = 0;
let lastTime = '';

/** pino's isoTime, formatted once per millisecond instead of once per line. */
export function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}
