// Minting access tokens (RFC 9068 shape): EdDSA, `typ: at+jwt`, the signing key's `kid`, 15 minutes.
import { randomUUID } from 'node:crypto';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TTL_SECONDS,
  ACCESS_TOKEN_TYPE,
  type AccessTokenClaims,
} from '@shopnow/contracts';
import { SignJWT } from 'jose';
import type { KeyRing } from '../keys/key-ring.ts';

export interface TokenMinter {
  /** A signed access token and its lifetime in seconds. */
  mint(claims: Omit<AccessTokenClaims, 'jti'>): Promise<{ token: string; expiresIn: number }>;
}

export function createTokenMinter(options: { keys: KeyRing; issuer: string; audience: string }): TokenMinter {
  return {
    async mint(claims) {
      const { kid, privateKey } = await options.keys.signer();
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(claims.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + ACCESS_TOKEN_TTL_SECONDS)
        .setJti(randomUUID())
        .sign(privateKey);
      return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },
  };
}
