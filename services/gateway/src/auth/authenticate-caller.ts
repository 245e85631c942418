// Who is calling, decided once at the edge: a bearer access token verified locally (the token
// service's JWKS, fixed algorithm, revocation list), an API key exchanged for one, or nobody.
import {
  AppError,
  commonErrors,
  InvalidTokenError,
  KeysUnavailableError,
  type TokenVerifier,
  type UserIdentity,
} from '@shopnow/chassis';
import { gatewayErrors } from '../errors.ts';
import type { Caller } from '../ratelimit/rate-limiter.ts';
import type { ApiKeyExchange } from './api-key-exchange.ts';

export interface AuthenticatedCaller {
  /** The verified user; undefined for an anonymous caller. */
  user: UserIdentity | undefined;
  /** The bearer to forward, so every service verifies the caller again (zero trust). */
  authorization: string | undefined;
  /** Who the rate limiter counts. */
  caller: Caller;
  /** Keeps a caller on one side of a canary split: the user, else the client address. */
  stickyKey: string;
}

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.~+/]+=*)[ \t]*$/i;

export class CallerAuthenticator {
  readonly #verifier: TokenVerifier;
  readonly #apiKeys: ApiKeyExchange;
  /** One AuthenticatedCaller per verified identity (the verifier's cache hands back the same object). */
  readonly #callers = new WeakMap<UserIdentity, AuthenticatedCaller>();

  constructor(options: { verifier: TokenVerifier; apiKeys: ApiKeyExchange }) {
    this.#verifier = options.verifier;
    this.#apiKeys = options.apiKeys;
  }

  async authenticate(
    headers: Record<string, string | string[] | undefined>,
    clientIp: string,
  ): Promise<AuthenticatedCaller> {
    const authorization = headers.authorization;
    const apiKey = headers['x-api-key'];
    if (authorization !== undefined && apiKey !== undefined) {
      throw new AppError(commonErrors.bad_request, 'Send either Authorization or X-API-Key, not both');
    }
    if (typeof authorization === 'string') return this.#fromBearer(authorization);
    if (typeof apiKey === 'string') return this.#fromApiKey(apiKey);
    if (authorization !== undefined || apiKey !== undefined) {
      throw new AppError(commonErrors.bad_request, 'A credential header was sent more than once');
    }
    return anonymous(clientIp);
  }

  /**
   * authenticate() without a promise when the answer is at hand (the hot path): no credentials,
   * or a bearer token the verifier has verified recently. Throws as authenticate() does; undefined
   * means "call authenticate()" (a new token, an API key, or anything authenticate() refuses).
   */
  authenticateSync(
    headers: Record<string, string | string[] | undefined>,
    clientIp: string,
  ): AuthenticatedCaller | undefined {
    const authorization = headers.authorization;
    if (headers['x-api-key'] !== undefined) return undefined;
    if (authorization === undefined) return anonymous(clientIp);
    if (typeof authorization !== 'string') return undefined;
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) return undefined;
    let identity: ReturnType<TokenVerifier['verifyCached']>;
    try {
      identity = this.#verifier.verifyCached(token);
    } catch (err) {
      throw refusal(err);
    }
    if (identity?.kind !== 'user') return undefined;
    return this.#callerFor(identity, authorization);
  }

  async #fromBearer(header: string): Promise<AuthenticatedCaller> {
    const token = BEARER.exec(header)?.[1];
    if (token === undefined)
      throw new AppError(commonErrors.unauthorized, 'Send Authorization: Bearer <access token>');
    const user = await this.#verify(token);
    return this.#callerFor(user, header);
  }

  #callerFor(user: UserIdentity, authorization: string): AuthenticatedCaller {
    const known = this.#callers.get(user);
    if (known !== undefined && known.authorization === authorization) return known;
    const caller = authenticated(user, authorization);
    this.#callers.set(user, caller);
    return caller;
  }

  async #fromApiKey(key: string): Promise<AuthenticatedCaller> {
    const outcome = await this.#apiKeys.exchange(key.trim());
    if (!outcome.ok) {
      throw outcome.status === 403
        ? new AppError(commonErrors.forbidden, 'The owner of this API key is suspended')
        : new AppError(gatewayErrors['gateway.invalid_api_key']);
    }
    const user = await this.#verify(outcome.token.accessToken);
    return authenticated(user, `Bearer ${outcome.token.accessToken}`);
  }

  async #verify(token: string): Promise<UserIdentity> {
    let identity: Awaited<ReturnType<TokenVerifier['verify']>>;
    try {
      identity = await this.#verifier.verify(token);
    } catch (err) {
      throw refusal(err);
    }
    // Service tokens are for calls inside the platform; from outside they are nobody's.
    if (identity.kind !== 'user')
      throw new AppError(commonErrors.unauthorized, 'Service tokens are not accepted here');
    return identity;
  }
}

/**
 * A verifier's InvalidTokenError as the 401 a client sees; keys it cannot read (the token service
 * down or starting) as a 503, so the client retries with its good token; anything else as is.
 */
function refusal(err: unknown): unknown {
  if (err instanceof KeysUnavailableError)
    return new AppError(commonErrors.unavailable, 'Sign-in cannot be checked right now; try again shortly');
  return err instanceof InvalidTokenError
    ? new AppError(commonErrors.unauthorized, 'The access token is invalid, expired or revoked')
    : err;
}

function anonymous(clientIp: string): AuthenticatedCaller {
  return {
    user: undefined,
    authorization: undefined,
    caller: { kind: 'anonymous', ip: clientIp },
    stickyKey: clientIp,
  };
}

function authenticated(user: UserIdentity, authorization: string): AuthenticatedCaller {
  const caller: Caller =
    user.apiKeyId === undefined
      ? { kind: 'user', id: user.userId, tier: user.tier, roles: user.roles }
      : { kind: 'api_key', id: user.apiKeyId, tier: user.tier, roles: user.roles };
  return { user, authorization, caller, stickyKey: user.userId };
}
