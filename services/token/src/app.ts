// The token service's Fastify app: signing keys and JWKS, sessions with refresh-token rotation,
// revocations, service credentials and API keys. Used by main.ts and tests.
import {
  type App,
  createIdentity,
  type Discovery,
  type IdentityKit,
  type Logger,
  localKeySource,
  requireRoles,
} from '@shopnow/chassis';
import {
  createServiceApp,
  registerDeadLetterRoutes,
  type ServiceAppConfig,
  type Subscription,
  type Transport,
} from '@shopnow/events';
import type { onRouteHookHandler } from 'fastify';
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import type { TokenAppConfig } from './config.ts';
import { tokenSubscriptions } from './consumes.ts';
import { REFRESH_REUSE_GRACE_MS } from './domain/lifetimes.ts';
import { tokenCatalog } from './events/catalog.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerApiKeyRoutes } from './http/api-key-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerJwksRoutes } from './http/jwks-routes.ts';
import { registerOAuthRoutes } from './http/oauth-routes.ts';
import { registerOwnCredentials } from './http/own-credentials.ts';
import { registerRevocationRoutes } from './http/revocation-routes.ts';
import { registerSessionRoutes } from './http/session-routes.ts';
import { ensureActiveKey } from './keys/key-management.ts';
import { KeyRing } from './keys/key-ring.ts';
import { LocalRevocations } from './revocation/local-revocations.ts';
import { createTokenMinter } from './tokens/access-token.ts';

export const SERVICE = 'token';

export interface BuildAppDeps {
  config: TokenAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** How long this process uses its view of the signing keys. Default 2 s. */
  keyCacheMs?: number;
  /** How long a retired key stays in the JWKS. Default 15 min + 60 s (tests shorten it). */
  retiredKeyWindowMs?: number;
  /** Reuse grace window of rotated refresh tokens. Default 10 s. */
  refreshGraceMs?: number;
  /** Sees every route as it is registered (tests walk the route table with it). */
  onRoute?: onRouteHookHandler;
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db, logger } = deps;
  if (db === undefined) throw new Error('token needs a database: set DATABASE_URL');
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description:
      'Access tokens (EdDSA JWT, JWKS), sessions with refresh-token rotation, revocations, API keys',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: tokenCatalog,
    subscriptions: (events) => tokenSubscriptions(events) as readonly Subscription[],
    onRoute: deps.onRoute,
  });
  const log = app.log as unknown as Logger;

  const keys = new KeyRing({
    db,
    ...(deps.keyCacheMs === undefined ? {} : { cacheMs: deps.keyCacheMs }),
    ...(deps.retiredKeyWindowMs === undefined ? {} : { retiredWindowMs: deps.retiredKeyWindowMs }),
  });
  const revocations = new LocalRevocations({ db, logger: log });
  // This service verifies its callers with its own keys and revocations: no HTTP to itself.
  const identity: IdentityKit = createIdentity({
    service: SERVICE,
    config,
    discovery: deps.discovery,
    logger: log,
    keys: localKeySource(() => keys.jwks()),
    revocations: revocations.list,
  });

  // A first key before anything signs; keys and revocations run while the app does (events too:
  // createServiceApp).
  app.addHook('onReady', async () => {
    const created = await ensureActiveKey(db);
    if (created !== undefined) app.log.info({ kid: created }, 'created the first signing key');
    await keys.start();
    await revocations.start();
  });
  app.addHook('onClose', async () => {
    revocations.stop();
    keys.stop();
  });

  const routeDeps: RouteDeps = {
    db,
    events,
    keys,
    minter: createTokenMinter({ keys, issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE }),
    revocations,
    serviceClients: config.SERVICE_CLIENTS,
    refreshGraceMs: deps.refreshGraceMs ?? REFRESH_REUSE_GRACE_MS,
  };
  registerOwnCredentials(app);
  identity.register(app);
  registerJwksRoutes(app, routeDeps);
  registerSessionRoutes(app, routeDeps);
  registerAdminRoutes(app, routeDeps);
  registerRevocationRoutes(app, routeDeps);
  registerOAuthRoutes(app, routeDeps);
  registerApiKeyRoutes(app, routeDeps);
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });
  return app;
}
