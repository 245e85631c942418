import { Agent, type Dispatcher } from 'undici';
import type { Instance } from './instance.ts';
import type { UpstreamSettings } from './settings.ts';

/**
 * The dispatcher for active health checks: one kept-alive connection per instance, apart from
 * the traffic pools, so a saturated pool cannot make a healthy instance fail its checks.
 */
export function createHealthAgent(): Agent {
  return new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 4_000 });
}

/**
 * One active health check: GET the health path; any 2xx within the timeout passes.
 * Resolves with undefined when it passed, else with why it failed (never rejects).
 */
export async function checkHealth(
  dispatcher: Dispatcher,
  instance: Instance,
  health: UpstreamSettings['health'],
): Promise<string | undefined> {
  const url = new URL(instance.url);
  try {
    const response = await dispatcher.request({
      origin: url.origin,
      path: `${instance.pathPrefix}${health.path}`,
      method: 'GET',
      headers: { 'user-agent': 'shopnow-gateway-health-check' },
      headersTimeout: health.timeoutMs,
      bodyTimeout: health.timeoutMs,
      signal: AbortSignal.timeout(health.timeoutMs),
    });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300
      ? undefined
      : `health check answered ${response.statusCode}`;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return `health check failed: ${typeof code === 'string' ? code : (err as Error).message}`;
  }
}
