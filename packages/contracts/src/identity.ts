// Identity: who a caller is (the access-token claims every service verifies) and the events of
// the auth, token and user services.
import { type Static, Type } from 'typebox';
import { defineEvent } from './define-event.ts';

export const ROLES = ['customer', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const TIERS = ['free', 'premium', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];
export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** The JOSE `typ` of an access token (RFC 9068), so no other JWT can pass for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** The only signing algorithm accepted (RFC 8725: a fixed list, never taken from the token). */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';
/** Default `iss` and `aud` of access tokens (TOKEN_ISSUER / TOKEN_AUDIENCE override both sides). */
export const DEFAULT_TOKEN_ISSUER = 'shopnow-token';
export const DEFAULT_TOKEN_AUDIENCE = 'shopnow';
/** Access tokens live this long. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** `sub` of a service's own token (client credentials) is `service:<name>`. */
export const SERVICE_SUBJECT_PREFIX = 'service:';

/**
 * The claims of an access token beyond the registered ones (`iss`, `aud`, `sub`, `exp`, `iat`,
 * `jti`). `sid` names the session (refresh-token family) for revocation; a service token has none.
 */
export interface AccessTokenClaims {
  sub: string;
  roles: Role[];
  tier: Tier;
  sid?: string;
  /** Set on tokens minted for an API key: the key's id, and its scopes. */
  akid?: string;
  scope?: string;
  jti: string;
}

/** GET /revocations on the token service: what verifiers poll to deny revoked tokens early. */
export const RevocationEntrySchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    /** One session revoked: tokens with this `sid` are refused. */
    sessionId: Type.Optional(Type.String({ format: 'uuid' })),
    /** Every session of a user: tokens of `userId` issued before `notBefore` are refused. */
    userId: Type.Optional(Type.String({ minLength: 1 })),
    notBefore: Type.Optional(Type.String({ format: 'date-time' })),
    /** After this, every token the entry could refuse has expired anyway. */
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type RevocationEntry = Static<typeof RevocationEntrySchema>;

const UserId = Type.String({ format: 'uuid' });
const Email = Type.String({ format: 'email', maxLength: 254 });
// Spelled out: a union mapped from the arrays above would be typed `never`.
const RoleSchema = Type.Union([Type.Literal('customer'), Type.Literal('support'), Type.Literal('admin')]);
const TierSchema = Type.Union([Type.Literal('free'), Type.Literal('premium'), Type.Literal('enterprise')]);
const closed = { additionalProperties: false } as const;

/** An account was created (the user service creates the user record on it). */
export const AuthUserRegisteredV1 = defineEvent(
  'auth.user_registered.v1',
  Type.Object({ userId: UserId, email: Email, displayName: Type.String({ maxLength: 100 }) }, closed),
);

/**
 * Someone tried to register with an email that already has an account. The answer to them was the
 * same as for a new account; the owner is told by email instead (no account enumeration).
 */
export const AuthRegistrationRepeatedV1 = defineEvent(
  'auth.registration_repeated.v1',
  Type.Object({ userId: UserId, email: Email }, closed),
);

/** A single-use token the notification service puts in a link it emails to the account's owner. */
const EmailedToken = Type.Object(
  {
    userId: UserId,
    email: Email,
    token: Type.String({ minLength: 20 }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  closed,
);

/** Carries the token of the email-verification link. */
export const AuthEmailVerificationRequestedV1 = defineEvent(
  'auth.email_verification_requested.v1',
  EmailedToken,
);

export const AuthEmailVerifiedV1 = defineEvent(
  'auth.email_verified.v1',
  Type.Object({ userId: UserId, email: Email }, closed),
);

/** Carries the token of the password-reset link. */
export const AuthPasswordResetRequestedV1 = defineEvent('auth.password_reset_requested.v1', EmailedToken);

/** The password changed (by its owner, or by a reset): every session of the account is revoked. */
export const AuthPasswordChangedV1 = defineEvent(
  'auth.password_changed.v1',
  Type.Object(
    { userId: UserId, email: Email, via: Type.Union([Type.Literal('change'), Type.Literal('reset')]) },
    closed,
  ),
);

/** Too many failed logins: the account is locked for a while; only its owner is told, by email. */
export const AuthAccountLockedV1 = defineEvent(
  'auth.account_locked.v1',
  Type.Object(
    {
      userId: UserId,
      email: Email,
      lockedUntil: Type.String({ format: 'date-time' }),
      failedAttempts: Type.Integer({ minimum: 1 }),
    },
    closed,
  ),
);

/**
 * A right password from a device this account has not signed in from before (its first device is
 * not "new"). Only coarse facts, for the owner to recognise or not: a label such as "Firefox on
 * Linux", and the client's network (IPv4 /24, IPv6 /48; null when auth could not tell).
 */
export const AuthNewDeviceSignedInV1 = defineEvent(
  'auth.new_device_signed_in.v1',
  Type.Object(
    {
      userId: UserId,
      email: Email,
      displayName: Type.Optional(Type.String({ maxLength: 100 })),
      device: Type.String({ minLength: 1, maxLength: 100 }),
      ipPrefix: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
      signedInAt: Type.String({ format: 'date-time' }),
    },
    closed,
  ),
);

/** Sessions were revoked: one (`sessionId`), or all of a user's (`all`). */
export const TokenSessionsRevokedV1 = defineEvent(
  'token.sessions_revoked.v1',
  Type.Object(
    {
      userId: Type.String({ minLength: 1 }),
      sessionId: Type.Optional(Type.String({ format: 'uuid' })),
      all: Type.Boolean(),
      reason: Type.Union([
        Type.Literal('logout'),
        Type.Literal('logout_all'),
        Type.Literal('revoked_by_user'),
        Type.Literal('revoked_by_admin'),
        Type.Literal('refresh_token_reuse'),
        Type.Literal('password_changed'),
        Type.Literal('user_suspended'),
        // A role was taken away: tokens still claiming it must stop working now, not at expiry.
        Type.Literal('roles_revoked'),
      ]),
    },
    closed,
  ),
);

export const UserRolesChangedV1 = defineEvent(
  'user.roles_changed.v1',
  Type.Object(
    { userId: UserId, roles: Type.Array(RoleSchema), previousRoles: Type.Array(RoleSchema) },
    closed,
  ),
);

export const UserTierChangedV1 = defineEvent(
  'user.tier_changed.v1',
  Type.Object({ userId: UserId, tier: TierSchema, previousTier: TierSchema }, closed),
);

/** The token service revokes every session of a suspended user on it. */
export const UserSuspendedV1 = defineEvent(
  'user.suspended.v1',
  Type.Object({ userId: UserId, reason: Type.String({ maxLength: 500 }) }, closed),
);

export const UserReactivatedV1 = defineEvent('user.reactivated.v1', Type.Object({ userId: UserId }, closed));

export const identityEvents = [
  AuthUserRegisteredV1,
  AuthRegistrationRepeatedV1,
  AuthEmailVerificationRequestedV1,
  AuthEmailVerifiedV1,
  AuthPasswordResetRequestedV1,
  AuthPasswordChangedV1,
  AuthAccountLockedV1,
  AuthNewDeviceSignedInV1,
  TokenSessionsRevokedV1,
  UserRolesChangedV1,
  UserTierChangedV1,
  UserSuspendedV1,
  UserReactivatedV1,
] as const;
