// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and fast
// serialisation from one definition. Every request object refuses unknown properties, so a
// body that tries to set roles, tier, status, email or id (mass assignment) is a 400.
import { Type } from 'typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/paging.ts';
import { MAX_SEARCH_LENGTH } from '../domain/search.ts';
import {
  MAX_DISPLAY_NAME_LENGTH,
  MAX_SUSPENSION_REASON_LENGTH,
  ROLES,
  TIERS,
  USER_STATUSES,
} from '../domain/user.ts';

const strict = { additionalProperties: false } as const;

// Postgres text cannot hold U+0000: refuse it here, naming the field, not as a 500.
const NO_NUL = '^[^\\u0000]*$';

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const Role = Type.Enum(ROLES);
const Tier = Type.Enum(TIERS);
const Status = Type.Enum(USER_STATUSES);

// ---- resources ----
export const User = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(Role),
    tier: Tier,
    status: Status,
    suspendedReason: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { description: 'A user as the shop knows them' },
);

export const UserPage = Type.Object({
  items: Type.Array(User),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});

// ---- requests ----
export const IdParams = Type.Object({ id: Uuid }, strict);

/** For routes that take no query parameters: a typo is refused rather than ignored. */
export const NoQuery = Type.Object({}, strict);

export const UpdateMeBody = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: MAX_DISPLAY_NAME_LENGTH, pattern: NO_NUL }),
  },
  strict,
);

export const ListUsersQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_SEARCH_LENGTH,
        pattern: NO_NUL,
        description: 'Part of the email or display name, case-insensitive',
      }),
    ),
    role: Type.Optional(Role),
    tier: Type.Optional(Tier),
    status: Type.Optional(Status),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Opaque: nextCursor of the previous page' }),
    ),
  },
  strict,
);

export const RolesBody = Type.Object(
  {
    roles: Type.Array(Role, {
      minItems: 1,
      maxItems: ROLES.length,
      description: `A non-empty set of ${ROLES.join(', ')}`,
    }),
  },
  strict,
);

export const TierBody = Type.Object({ tier: Tier }, strict);

export const SuspendBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: MAX_SUSPENSION_REASON_LENGTH, pattern: NO_NUL }) },
  strict,
);

/** Reactivation carries nothing; an empty object (or no body) is accepted. */
export const EmptyBody = Type.Object({}, strict);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9._:~+/=-]{1,255}$',
      description: 'Repeat a write safely: same key, same result',
    }),
  ),
});
