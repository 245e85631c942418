import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { request } from 'undici';

/**
 * The first registration's attempts, each with a longer time budget: under heavy load (the whole
 * platform starting on one laptop) the registry can answer slowly, and one slow answer must not
 * fail the start. 14 s in all stays well inside the launcher's readiness timeout.
 */
export const FIRST_REGISTRATION_TIMEOUTS_MS: readonly number[] = [2_000, 4_000, 8_000];
const FIRST_REGISTRATION_PAUSE_MS = 500;

export interface RegisterInstanceOptions {
  registryUrl: string;
  service: string;
  instanceId: string;
  /** The URL other services use to reach this instance (ADVERTISE_URL). */
  url: string;
  /** Lease: the registry drops the instance if it is not renewed within this time. Default 10 s. */
  ttlMs?: number;
  /** Time budget of each attempt of the first registration (FIRST_REGISTRATION_TIMEOUTS_MS). */
  firstAttemptTimeoutsMs?: readonly number[];
  /** Pause between those attempts. Default 500 ms. */
  retryPauseMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface Registration {
  /** Stops renewing and deregisters; never throws, since it runs during shutdown. */
  stop(): Promise<void>;
}

/**
 * Registers this instance in the launcher's registry and renews the lease every ttl/3,
 * so two missed heartbeats are survivable. The first registration must succeed (an instance
 * nobody can find should fail its start and be restarted), but it is tried three times with
 * growing time budgets first, each failure logged; later failures are only logged, and the next
 * heartbeat re-registers, which also covers a restarted registry.
 */
export async function registerInstance(options: RegisterInstanceOptions): Promise<Registration> {
  const ttlMs = options.ttlMs ?? 10_000;
  const interval = Math.max(100, Math.floor(ttlMs / 3));
  const instanceUrl = `${options.registryUrl.replace(/\/+$/, '')}/registry/services/${encodeURIComponent(
    options.service,
  )}/instances/${encodeURIComponent(options.instanceId)}`;
  const heartbeatTimeoutMs = Math.min(interval, 2_000);

  const put = (timeoutMs: number) =>
    call(instanceUrl, 'PUT', timeoutMs, JSON.stringify({ url: options.url, ttlMs })).then((status) => {
      if (status !== 200 && status !== 201 && status !== 204) throw new Error(`registry answered ${status}`);
    });

  await registerFirst(put, options);
  options.logger?.info({ registry: options.registryUrl, ttlMs }, 'registered in discovery');

  let failing = false;
  let heartbeat: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (heartbeat) return; // the previous one is still waiting; do not pile up
    heartbeat = put(heartbeatTimeoutMs)
      .then(
        () => {
          if (failing) options.logger?.info('discovery heartbeat recovered');
          failing = false;
        },
        (err: unknown) => {
          failing = true;
          options.logger?.warn({ err }, 'discovery heartbeat failed');
        },
      )
      .finally(() => {
        heartbeat = undefined;
      });
  }, interval);
  timer.unref();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await heartbeat;
        try {
          await call(instanceUrl, 'DELETE', 2_000);
          options.logger?.info('deregistered from discovery');
        } catch (err) {
          options.logger?.warn({ err }, 'deregistration failed; the lease will expire');
        }
      })();
      return stopping;
    },
  };
}

/**
 * The first PUT, tried once per time budget with a pause between; rejects with the last failure
 * once every attempt failed. Trying again is safe: a PUT of the same instance is idempotent, so
 * an attempt the registry applied after its budget ran out does no harm.
 */
async function registerFirst(
  put: (timeoutMs: number) => Promise<void>,
  options: RegisterInstanceOptions,
): Promise<void> {
  const budgets = options.firstAttemptTimeoutsMs ?? FIRST_REGISTRATION_TIMEOUTS_MS;
  if (budgets.length === 0) throw new Error('registerInstance: firstAttemptTimeoutsMs is empty');
  for (const [index, timeoutMs] of budgets.entries()) {
    try {
      await put(timeoutMs);
      return;
    } catch (err) {
      const attempt = index + 1;
      const last = attempt === budgets.length;
      options.logger?.warn(
        { err, attempt, attempts: budgets.length, timeoutMs, registry: options.registryUrl },
        last
          ? 'registration in discovery failed, giving up'
          : 'registration in discovery failed, trying again',
      );
      if (last) throw err;
      await sleep(options.retryPauseMs ?? FIRST_REGISTRATION_PAUSE_MS);
    }
  }
}

async function call(
  url: string,
  method: 'PUT' | 'DELETE',
  timeoutMs: number,
  body?: string,
): Promise<number> {
  const response = await request(url, {
    method,
    body,
    headers: body ? { 'content-type': 'application/json' } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body.dump();
  return response.statusCode;
}
