import type pg from 'pg';
import type { App } from './app.ts';
import { commonErrors } from './errors.ts';
import { sendProblem } from './problem.ts';

/** A readiness check resolves when its dependency can serve, rejects (or hangs) when not. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthOptions {
  db?: pg.Pool | undefined;
  checks?: Record<string, ReadinessCheck> | undefined;
  /** Per-check bound; a hanging dependency fails the probe instead of hanging it. Default 2000 ms. */
  timeoutMs?: number | undefined;
  isShuttingDown: () => boolean;
}

/** Probes: quiet in the logs (they run every few seconds) and absent from the OpenAPI document. */
const probeRoute = () => ({ logLevel: 'warn', schema: { hide: true } }) as const;

/**
 * `/health/live`: the process is up and its event loop turns (restart me if not).
 * `/health/ready`: the database and every declared dependency answer, and shutdown has not
 * begun (send me traffic). Failing checks are named in the 503 problem, never their errors.
 */
export function registerHealthRoutes(app: App, options: HealthOptions): void {
  const timeoutMs = options.timeoutMs ?? 2000;
  const checks: Array<[string, ReadinessCheck]> = [];
  const { db } = options;
  if (db !== undefined) checks.push(['db', () => db.query('select 1').then(() => undefined)]);
  checks.push(...Object.entries(options.checks ?? {}));

  app.get('/health/live', probeRoute(), async () => ({ status: 'ok' }));

  app.get('/health/ready', probeRoute(), async (request, reply) => {
    if (options.isShuttingDown()) {
      return sendProblem(reply, request, commonErrors.unavailable, { detail: 'shutting down' });
    }
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, 'ok'] as const;
        } catch (err) {
          request.log.warn({ err, check: name }, 'readiness check failed');
          return [name, 'fail'] as const;
        }
      }),
    );
    const status = Object.fromEntries(results);
    const failing = results.filter(([, result]) => result === 'fail').map(([name]) => name);
    if (failing.length > 0) {
      return sendProblem(reply, request, commonErrors.unavailable, {
        detail: `not ready: ${failing.join(', ')}`,
        extra: { checks: status },
      });
    }
    return { status: 'ready', checks: status };
  });
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
