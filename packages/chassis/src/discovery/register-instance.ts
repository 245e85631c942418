import type { Logger } from 'pino';
import { request } from 'undici';

export interface RegisterInstanceOptions {
  registryUrl: string;
  service: string;
  instanceId: string;
  /** The URL other services use to reach this instance (ADVERTISE_URL). */
  url: string;
  /** Lease: the registry drops the instance if it is not renewed within this time. Default 10 s. */
  ttlMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface Registration {
  /** Stops renewing and deregisters; never throws, since it runs during shutdown. */
  stop(): Promise<void>;
}

/**
 * Registers this instance in the launcher's registry and renews the lease every ttl/3,
 * so two missed heartbeats are survivable. The first PUT must succeed (an instance nobody
 * can find should fail its start and be restarted); later failures are only logged, and
 * the next heartbeat re-registers, which also covers a restarted registry.
 */
export async function registerInstance(options: RegisterInstanceOptions): Promise<Registration> {
  const ttlMs = options.ttlMs ?? 10_000;
  const interval = Math.max(100, Math.floor(ttlMs / 3));
  const instanceUrl = `${options.registryUrl.replace(/\/+$/, '')}/registry/services/${encodeURIComponent(
    options.service,
  )}/instances/${encodeURIComponent(options.instanceId)}`;
  const timeoutMs = Math.min(interval, 2_000);

  const put = () =>
    call(instanceUrl, 'PUT', timeoutMs, JSON.stringify({ url: options.url, ttlMs })).then((status) => {
      if (status !== 200 && status !== 201 && status !== 204) throw new Error(`registry answered ${status}`);
    });

  await put();
  options.logger?.info({ registry: options.registryUrl, ttlMs }, 'registered in discovery');

  let failing = false;
  let heartbeat: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (heartbeat) return; // the previous one is still waiting; do not pile up
    heartbeat = put()
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
