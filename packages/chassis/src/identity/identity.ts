// Who is calling, as every service sees it after verifying the caller's access token.
import { type Role, SERVICE_SUBJECT_PREFIX, type Tier } from '@shopnow/contracts';

export interface UserIdentity {
  kind: 'user';
  userId: string;
  roles: readonly Role[];
  tier: Tier;
  /** The session (refresh-token family) the token belongs to; absent on API-key tokens. */
  sessionId: string | undefined;
  /** Set when the token was minted for an API key. */
  apiKeyId: string | undefined;
  /** The API key's scopes; undefined for a user's own session (all of the user's rights). */
  scopes: readonly string[] | undefined;
  tokenId: string;
  /** When the token expires (ms since epoch). */
  expiresAt: number;
}

export interface ServiceIdentity {
  kind: 'service';
  /** The calling service's name (`sub` is `service:<name>`). */
  service: string;
  tokenId: string;
  expiresAt: number;
}

export type Identity = UserIdentity | ServiceIdentity;

export function isServiceSubject(sub: string): boolean {
  return sub.startsWith(SERVICE_SUBJECT_PREFIX);
}

/** A user identity holding any of `roles`. */
export function hasRole(identity: Identity | undefined, ...roles: Role[]): boolean {
  return identity?.kind === 'user' && identity.roles.some((role) => roles.includes(role));
}
