// The auth service's Fastify app: the chassis, identity verification, and the credential routes.
// Used by main.ts and tests.
import { randomBytes } from 'node:crypto';
import {
  type App,
  createIdentity,
  createServiceClient,
  type Discovery,
  type IdentityKit,
  type Logger,
  requireRoles,
  type ServiceClient,
} from '@shopnow/chassis';
import {
  createServiceApp,
  registerDeadLetterRoutes,
  type ServiceAppConfig,
  type Transport,
} from '@shopnow/events';
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import type { AuthAppConfig } from './config.ts';
import { authSubscriptions } from './consumes.ts';
import { DEFAULT_THROTTLE_RULES, type ThrottleRules } from './domain/throttle.ts';
import { authCatalog } from './events/catalog.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerLoginRoutes } from './http/login-routes.ts';
import { registerPasswordChangeRoutes } from './http/password-change-routes.ts';
import { registerPasswordResetRoutes } from './http/password-reset-routes.ts';
import { registerRegisterRoutes } from './http/register-routes.ts';
import { registerVerificationRoutes } from './http/verification-routes.ts';
import { hashPassword } from './passwords/argon2.ts';
import { type SessionOpener, tokenServiceSessions } from './sessions/token-sessions.ts';

export const SERVICE = 'auth';

export interface BuildAppDeps {
  config: AuthAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** Token verification; default: the token service's keys and revocations (via discovery). */
  identity?: IdentityKit;
  /** How sessions are opened; default: POST /sessions on the token service. */
  sessions?: SessionOpener;
  /** A client for the token service (default: chassis client over discovery). */
  tokenClient?: ServiceClient;
  /** auth's own bearer for the token service; default: identity.serviceToken. */
  serviceAuthorization?: () => Promise<string>;
  clock?: () => Date;
  throttle?: Partial<ThrottleRules>;
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db, logger, discovery } = deps;
  if (db === undefined) throw new Error('auth needs a database: set DATABASE_URL');
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description:
      'Credentials: registration, login with throttling, email verification, password reset and change',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: authCatalog,
    subscriptions: authSubscriptions,
  });
  const log = app.log as unknown as Logger;

  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger: log });
  identity.register(app);

  const sessions = deps.sessions ?? defaultSessions(deps, identity, app);
  const routeDeps: RouteDeps = {
    db,
    events,
    clock: deps.clock ?? (() => new Date()),
    throttle: { ...DEFAULT_THROTTLE_RULES, ...deps.throttle },
    sessions,
    // Verified against when a login names no account, so that costs what a wrong password does.
    dummyHash: await hashPassword(randomBytes(32).toString('base64url')),
  };
  registerRegisterRoutes(app, routeDeps);
  registerLoginRoutes(app, routeDeps);
  registerVerificationRoutes(app, routeDeps);
  registerPasswordResetRoutes(app, routeDeps);
  registerPasswordChangeRoutes(app, routeDeps);
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });
  return app;
}

function defaultSessions(deps: BuildAppDeps, identity: IdentityKit, app: App): SessionOpener {
  let client = deps.tokenClient;
  if (client === undefined) {
    if (deps.discovery === undefined)
      throw new Error('auth needs discovery (or a token client) to reach the token service');
    const owned = createServiceClient({ service: 'token', discovery: deps.discovery, timeoutMs: 3000 });
    app.addHook('onClose', () => owned.close());
    client = owned;
  }
  const serviceToken = identity.serviceToken;
  const authorization =
    deps.serviceAuthorization ??
    (serviceToken === undefined ? undefined : () => serviceToken.authorization());
  if (authorization === undefined) app.log.warn('SERVICE_CLIENT_SECRET is not set: logins will answer 503');
  return tokenServiceSessions({ client, authorization });
}
