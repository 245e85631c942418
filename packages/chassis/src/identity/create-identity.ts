// The identity kit a service wires in buildApp: verify callers against the token service's keys
// and revocations, and get this service's own token for calls to others.
import { DEFAULT_TOKEN_AUDIENCE, DEFAULT_TOKEN_ISSUER } from '@shopnow/contracts';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { str } from '../config.ts';
import type { Discovery } from '../discovery/discovery.ts';
import { createServiceClient, type ServiceClient } from '../http-client/service-client.ts';
import { registerAuthentication } from './authenticate.ts';
import { type KeySource, remoteJwks } from './key-source.ts';
import { RevocationList } from './revocation-list.ts';
import { ServiceTokenSource } from './service-token.ts';
import { createTokenVerifier, type TokenVerifier } from './verify-access-token.ts';

export const identityConfigSpec = {
  TOKEN_ISSUER: str({ default: DEFAULT_TOKEN_ISSUER, desc: 'the `iss` of access tokens' }),
  TOKEN_AUDIENCE: str({ default: DEFAULT_TOKEN_AUDIENCE, desc: 'the `aud` of access tokens' }),
  SERVICE_CLIENT_SECRET: str({
    default: undefined,
    desc: "this service's client secret at the token service (client credentials), for calls to other services",
  }),
};

export interface IdentityConfig {
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
}

export interface IdentityKit {
  verifier: TokenVerifier;
  revocations: RevocationList | undefined;
  /** This service's own token; undefined without SERVICE_CLIENT_SECRET. */
  serviceToken: ServiceTokenSource | undefined;
  /** Hooks verification into the app; the revocation poll runs while the app does. */
  register(app: FastifyInstance): void;
}

export interface CreateIdentityOptions {
  service: string;
  config: IdentityConfig;
  discovery?: Discovery | undefined;
  logger?: Logger | undefined;
  /** Keys in hand instead of the token service's JWKS (the token service itself). */
  keys?: KeySource | undefined;
  /** A revocation check in hand instead of polling the token service (the token service itself). */
  revocations?: RevocationList | undefined;
  /** Revocation poll interval. Default 2 s. */
  revocationPollMs?: number | undefined;
  /**
   * Verified tokens remembered (see TokenVerifierOptions.cacheSize). Default 1,000: a caller's
   * next requests with the same token (a service's own token is reused for its whole lifetime)
   * cost a lookup instead of an Ed25519 verification, which was 6% of the order service's CPU
   * under checkout load. Entries live at most 60 s, well inside the JWKS cache's 10 minutes, so
   * a key removed from the JWKS is trusted no longer than the set itself already allows. 0: off;
   * off by default too when `keys` are given (the token service's own, which it drops at once).
   */
  verifiedTokenCache?: number | undefined;
}

export const TOKEN_SERVICE = 'token';
/** Verified tokens a service remembers unless told otherwise (the gateway keeps 10,000). */
const DEFAULT_VERIFIED_TOKEN_CACHE = 1_000;

export function createIdentity(options: CreateIdentityOptions): IdentityKit {
  const { config, discovery } = options;
  let client: ServiceClient | undefined;
  const tokenClient = (): ServiceClient => {
    if (discovery === undefined) throw new Error('identity: discovery is needed to reach the token service');
    client ??= createServiceClient({
      service: TOKEN_SERVICE,
      discovery,
      timeoutMs: 3000,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    return client;
  };
  const keys = options.keys ?? remoteJwks({ client: tokenClient() });
  const serviceToken =
    config.SERVICE_CLIENT_SECRET === undefined
      ? undefined
      : new ServiceTokenSource({
          client: tokenClient(),
          clientId: options.service,
          clientSecret: config.SERVICE_CLIENT_SECRET,
        });
  const revocations =
    options.revocations ??
    new RevocationList({
      client: tokenClient(),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.revocationPollMs ? { pollIntervalMs: options.revocationPollMs } : {}),
      ...(serviceToken ? { authorization: () => serviceToken.authorization() } : {}),
    });
  const verifier = createTokenVerifier({
    keys,
    issuer: config.TOKEN_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    revocations,
    // Keys in hand (the token service) change as fast as their own cache lets them: no 60 s memory.
    cacheSize: options.verifiedTokenCache ?? (options.keys ? 0 : DEFAULT_VERIFIED_TOKEN_CACHE),
  });
  return {
    verifier,
    revocations,
    serviceToken,
    register(app) {
      registerAuthentication(app, verifier);
      if (options.revocations === undefined) {
        app.addHook('onReady', () => revocations.start());
        app.addHook('onClose', async () => {
          revocations.stop();
          await client?.close();
        });
      }
    },
  };
}
