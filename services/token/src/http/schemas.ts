// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and serialisation
// from one definition. Every request object refuses unknown properties.
import { RevocationEntrySchema, TIERS } from '@shopnow/contracts';
import { Type } from 'typebox';
import { API_KEY_SCOPES, MAX_API_KEY_NAME_LENGTH } from '../domain/api-key-policy.ts';

const strict = { additionalProperties: false } as const;
// Postgres text cannot hold U+0000: refuse it here, naming the field, not as a 500.
const NO_NUL = '^[^\\u0000]*$';
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, strict);
export const UserIdParams = Type.Object({ userId: Uuid }, strict);

// ---- sessions ----
export const CreateSessionBody = Type.Object(
  {
    userId: Uuid,
    device: Type.Optional(
      Type.Object(
        {
          userAgent: Type.Optional(Type.String({ maxLength: 500, pattern: NO_NUL })),
          ip: Type.Optional(Type.String({ maxLength: 64, pattern: '^[0-9A-Fa-f:.]+$' })),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 256 }) },
  strict,
);

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String({ description: 'Opaque; store it securely, it is shown once' }),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  sessionId: Uuid,
});

export const SessionView = Type.Object({
  id: Uuid,
  device: Type.Object({ userAgent: Nullable(Type.String()), ip: Nullable(Type.String()) }),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  current: Type.Boolean({ description: 'The session of the token making this request' }),
});
export const SessionList = Type.Object({ items: Type.Array(SessionView) });

// ---- revocations ----
export const RevocationsQuery = Type.Object(
  { after: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }) },
  strict,
);
export const RevocationPage = Type.Object({
  entries: Type.Array(RevocationEntrySchema),
  lastSeq: Type.Integer({ minimum: 0 }),
});

// ---- service credentials (RFC 6749 §4.4) ----
export const ClientCredentialsBody = Type.Object(
  {
    grant_type: Type.String({ maxLength: 100 }),
    scope: Type.Optional(Type.String({ maxLength: 1000, description: 'Accepted and ignored' })),
  },
  strict,
);
export const ClientCredentialsToken = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
});

// ---- API keys ----
const Scope = Type.Enum(API_KEY_SCOPES);
export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: MAX_API_KEY_NAME_LENGTH, pattern: NO_NUL }),
    scopes: Type.Array(Scope, { minItems: 1, maxItems: API_KEY_SCOPES.length, uniqueItems: true }),
  },
  strict,
);
const TierSchema = Type.Enum(TIERS);
const apiKeyFields = {
  id: Uuid,
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  tier: TierSchema,
  createdAt: Timestamp,
};
export const ApiKeyView = Type.Object({ ...apiKeyFields, lastUsedAt: Nullable(Timestamp) });
export const CreatedApiKey = Type.Object({
  ...apiKeyFields,
  key: Type.String({ description: 'The key itself: shown this once, stored only as a digest' }),
});
export const ApiKeyList = Type.Object({ items: Type.Array(ApiKeyView) });
export const ExchangeHeaders = Type.Object({ 'x-api-key': Type.Optional(Type.String({ maxLength: 200 })) });
export const ExchangedToken = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
});

export const JwksResponse = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.String(),
      x: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
});
