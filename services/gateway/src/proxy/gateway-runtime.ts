// The parts a proxied request passes through, built once by buildGateway and shared by the
// request handler, the admin API and the lifecycle hooks.
import type { BlockList } from 'node:net';
import type { CallerAuthenticator } from '../auth/authenticate-caller.ts';
import type { ResponseCache } from '../cache/index.ts';
import type { RateLimiter } from '../ratelimit/rate-limiter.ts';
import type { RouteTableWatcher } from '../routes/route-table-watcher.ts';
import type { UpstreamSet } from '../upstream/upstream-set.ts';

export interface GatewayRuntime {
  routes: RouteTableWatcher;
  upstreams: UpstreamSet;
  limiter: RateLimiter;
  cache: ResponseCache;
  authenticator: CallerAuthenticator;
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed. */
  trustedProxies: BlockList;
  /** The gateway itself terminates TLS. */
  tls: boolean;
  maxUrlLength: number;
}
