import type pg from 'pg';
import type { OrderContext } from '../context.ts';
import type { StatusListener } from '../stream/status-listener.ts';
import type { Upstreams } from '../upstream/clients.ts';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
  ctx: OrderContext;
  upstreams: Upstreams;
  listener: StatusListener;
  /** The gateway's path prefix for links (PUBLIC_PATH_PREFIX). */
  linkPrefix: string;
}
