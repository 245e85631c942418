// Zero trust at every service: the caller is who a verified access token says, nothing else.
// Identity headers a client or the gateway sends (X-User-*) are dropped before any handler runs,
// so no route can trust them by mistake; a route declares who may call it with the guards below.
import type { Role } from '@shopnow/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, commonErrors } from '../errors.ts';
import { hasRole, type Identity, type UserIdentity } from './identity.ts';
import { KeysUnavailableError } from './key-source.ts';
import type { TokenVerifier } from './verify-access-token.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; undefined when the request carried no token. */
    identity: Identity | undefined;
  }
}

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.~+/]+=*)[ \t]*$/i;
const SPOOFABLE_HEADER = /^x-(user|internal)-/i;

export function registerAuthentication(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('identity', undefined);
  app.addHook('onRequest', async (request, reply) => {
    for (const name of Object.keys(request.headers)) {
      if (SPOOFABLE_HEADER.test(name)) delete request.headers[name];
    }
    const header = request.headers.authorization;
    if (header === undefined) return;
    const token = BEARER.exec(header)?.[1];
    if (token === undefined)
      throw unauthenticated(reply, 'invalid_request', 'Send Authorization: Bearer <access token>');
    try {
      request.identity = await verifier.verify(token);
    } catch (err) {
      if (err instanceof KeysUnavailableError) {
        request.log.warn({ err }, 'access token not checkable: the token service is unreachable');
        throw new AppError(
          commonErrors.unavailable,
          'Sign-in cannot be checked right now; try again shortly',
        );
      }
      request.log.info({ reason: (err as Error).message }, 'access token refused');
      throw unauthenticated(reply, 'invalid_token', 'The access token is invalid, expired or revoked');
    }
  });
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Any verified caller: a user or a service. */
export const requireCaller: Guard = async (request, reply) => {
  if (request.identity === undefined) throw unauthenticated(reply);
};

/** A signed-in user (not a service token). */
export const requireUser: Guard = async (request, reply) => {
  if (request.identity === undefined) throw unauthenticated(reply);
  if (request.identity.kind !== 'user') throw new AppError(commonErrors.forbidden, 'This route is for users');
};

/** A user holding one of `roles`. */
export function requireRoles(...roles: Role[]): Guard {
  return async (request, reply) => {
    if (request.identity === undefined) throw unauthenticated(reply);
    if (!hasRole(request.identity, ...roles)) {
      throw new AppError(commonErrors.forbidden, `This route needs the role ${roles.join(' or ')}`);
    }
  };
}

/** A service token, optionally from one of `services`. */
export function requireService(...services: string[]): Guard {
  return async (request, reply) => {
    const identity = request.identity;
    if (identity === undefined) throw unauthenticated(reply);
    if (identity.kind !== 'service' || (services.length > 0 && !services.includes(identity.service))) {
      throw new AppError(commonErrors.forbidden, 'This route is for internal callers');
    }
  };
}

/** The verified user of a request that passed requireUser (or a role guard). */
export function userOf(request: FastifyRequest): UserIdentity {
  const identity = request.identity;
  if (identity?.kind !== 'user') throw new AppError(commonErrors.unauthorized);
  return identity;
}

function unauthenticated(reply: FastifyReply, error?: string, detail?: string): AppError {
  reply.header(
    'www-authenticate',
    error ? `Bearer realm="shopnow", error="${error}"` : 'Bearer realm="shopnow"',
  );
  return new AppError(commonErrors.unauthorized, detail ?? 'Send a valid access token');
}
