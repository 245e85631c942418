// Where a verifier gets the token service's public keys: its JWKS over HTTP (every service), or
// keys in hand (the token service itself, and tests).
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { ServiceClient } from '../http-client/service-client.ts';

export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * The token service's keys could not be read (down, starting, refusing): a token cannot be
 * checked, which says nothing about the token itself. Callers answer 503, not 401, so a client
 * retries instead of throwing away a good token.
 */
export class KeysUnavailableError extends Error {
  constructor(options?: ErrorOptions) {
    super("the token service's keys cannot be read", options);
    this.name = 'KeysUnavailableError';
  }
}

export interface KeySource {
  /** For jose's jwtVerify: the key the token's header names. */
  readonly getKey: JWTVerifyGetKey;
}

/** Keys in hand, re-read on every call (`current` may change after a rotation). */
export function localKeySource(current: () => JSONWebKeySet): KeySource {
  return { getKey: (header, token) => createLocalJWKSet(current())(header, token) };
}

export interface RemoteJwksOptions {
  /** A client for the token service (discovery, timeouts, breaker). */
  client: ServiceClient;
  /** A known key set is refetched after this long anyway. Default 10 min. */
  maxAgeMs?: number;
  /** An unknown `kid` refetches at most this often (a flood of forged kids costs one call). Default 5 s. */
  cooldownMs?: number;
}

/**
 * The token service's JWKS, cached. A token whose `kid` is not in the cache refetches the set
 * once (a rotation published a new key), but not more often than the cooldown.
 */
export function remoteJwks(options: RemoteJwksOptions): KeySource {
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const cooldownMs = options.cooldownMs ?? 5_000;
  let cached: { set: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let inFlight: Promise<JWTVerifyGetKey> | undefined;

  const fetchSet = (): Promise<JWTVerifyGetKey> => {
    inFlight ??= (async () => {
      try {
        let response: Awaited<ReturnType<typeof options.client.request<JSONWebKeySet>>>;
        try {
          response = await options.client.request<JSONWebKeySet>({ method: 'GET', path: JWKS_PATH });
        } catch (err) {
          throw new KeysUnavailableError({ cause: err });
        }
        if (response.status !== 200 || !Array.isArray(response.body?.keys)) {
          throw new KeysUnavailableError({
            cause: new Error(`the token service answered ${response.status} for its JWKS`),
          });
        }
        const set = createLocalJWKSet(response.body);
        cached = { set, fetchedAt: Date.now() };
        return set;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    async getKey(header, token) {
      const now = Date.now();
      const set = cached !== undefined && now - cached.fetchedAt < maxAgeMs ? cached.set : await fetchSet();
      try {
        return await set(header, token);
      } catch (err) {
        const unknownKid = err instanceof errors.JWKSNoMatchingKey;
        if (!unknownKid || cached === undefined || now - cached.fetchedAt < cooldownMs) throw err;
        return (await fetchSet())(header, token);
      }
    },
  };
}
