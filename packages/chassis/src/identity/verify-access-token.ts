// Verifying an access token: signature by a key the token service published, the fixed algorithm,
// `typ`, issuer, audience, lifetime, and not revoked. Anything else is a 401 with no detail beyond
// "invalid token" (RFC 6750), so a probe learns nothing about which check failed.
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TYPE,
  ROLES,
  type Role,
  SERVICE_SUBJECT_PREFIX,
  TIERS,
  type Tier,
} from '@shopnow/contracts';
import { type JWTPayload, jwtVerify } from 'jose';
import type { Identity } from './identity.ts';
import { type KeySource, KeysUnavailableError } from './key-source.ts';
import type { RevocationCheck } from './revocation-list.ts';

export interface TokenVerifierOptions {
  keys: KeySource;
  issuer: string;
  audience: string;
  revocations?: RevocationCheck | undefined;
  /** Clock skew allowed on `exp`/`iat`, seconds. Default 30. */
  clockToleranceSeconds?: number;
  /**
   * Tokens whose signature and claims checked out, remembered by their text for up to
   * VERIFIED_TTL_MS: a client's next requests with the same token cost a lookup instead of an
   * Ed25519 verification. Expiry and revocation are still checked on every use; a key dropped
   * from the JWKS stops verifying only when the entry expires, which is inside the JWKS cache's own
   * window (key-source.ts). Default 0: off (createIdentity turns it on for every service).
   */
  cacheSize?: number;
  now?: () => number;
}

/** Bounds how long a token stays trusted after its key left the JWKS (the JWKS is cached as long). */
const VERIFIED_TTL_MS = 60_000;

interface Verified {
  identity: Identity;
  claims: { sub: string; sid: string | undefined; iat: number };
  /** Until when the cached verdict may be reused: the token's expiry (plus tolerance), at most VERIFIED_TTL_MS. */
  reuseUntil: number;
}

export class InvalidTokenError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(`invalid access token: ${reason}`, options);
    this.name = 'InvalidTokenError';
  }
}

export interface TokenVerifier {
  /** The caller the token proves, or InvalidTokenError. */
  verify(token: string): Promise<Identity>;
  /**
   * `verify` without a promise for a token verified recently (the cache, when on): its identity,
   * InvalidTokenError when it has since been revoked, or undefined when it must go through
   * `verify`. A hit returns the same Identity object each time until the entry expires.
   */
  verifyCached(token: string): Identity | undefined;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  const now = options.now ?? Date.now;
  const cacheSize = options.cacheSize ?? 0;
  const verified = new Map<string, Verified>();

  function remember(token: string, identity: Identity, claims: Verified['claims']): void {
    if (cacheSize === 0) return;
    // Oldest first out: a Map iterates in insertion order.
    if (verified.size >= cacheSize) verified.delete(verified.keys().next().value as string);
    const reuseUntil = Math.min(identity.expiresAt + clockTolerance * 1000, now() + VERIFIED_TTL_MS);
    verified.set(token, { identity, claims, reuseUntil });
  }

  function verifyCached(token: string): Identity | undefined {
    if (cacheSize === 0) return undefined;
    const hit = verified.get(token);
    if (hit === undefined) return undefined;
    if (hit.reuseUntil <= now()) {
      verified.delete(token);
      return undefined;
    }
    if (options.revocations?.isRevoked(hit.claims)) throw new InvalidTokenError('revoked');
    return hit.identity;
  }

  return {
    verifyCached,
    async verify(token: string): Promise<Identity> {
      return verifyCached(token) ?? verifySignatureAndClaims(token);
    },
  };

  async function verifySignatureAndClaims(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys.getKey, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      }));
    } catch (err) {
      if (err instanceof KeysUnavailableError) throw err; // not the token's fault: 503, not 401
      throw new InvalidTokenError((err as Error).message, { cause: err });
    }
    const sub = payload.sub as string;
    const iat = payload.iat as number;
    const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
    if (options.revocations?.isRevoked({ sub, sid, iat })) throw new InvalidTokenError('revoked');
    const tokenId = payload.jti as string;
    const expiresAt = (payload.exp as number) * 1000;
    const claims = { sub, sid, iat };
    if (sub.startsWith(SERVICE_SUBJECT_PREFIX)) {
      const identity: Identity = {
        kind: 'service',
        service: sub.slice(SERVICE_SUBJECT_PREFIX.length),
        tokenId,
        expiresAt,
      };
      remember(token, identity, claims);
      return identity;
    }
    const roles = payload.roles;
    const tier = payload.tier;
    if (!Array.isArray(roles) || !roles.every((role) => (ROLES as readonly unknown[]).includes(role))) {
      throw new InvalidTokenError('roles');
    }
    if (!(TIERS as readonly unknown[]).includes(tier)) throw new InvalidTokenError('tier');
    const scope = typeof payload.scope === 'string' ? payload.scope : undefined;
    const identity: Identity = {
      kind: 'user',
      userId: sub,
      roles: roles as Role[],
      tier: tier as Tier,
      sessionId: sid,
      apiKeyId: typeof payload.akid === 'string' ? payload.akid : undefined,
      scopes: scope === undefined ? undefined : scope.split(' ').filter(Boolean),
      tokenId,
      expiresAt,
    };
    remember(token, identity, claims);
    return identity;
  }
}
