// Request and response schemas (TypeBox → JSON Schema). Every body refuses unknown properties.
// Lengths here are generous outer bounds; the domain applies the real rules (email shape,
// password policy in code points) and names the field it refuses.
import { Type } from 'typebox';
import { SECRET_TOKEN_PATTERN } from '../domain/secret-token.ts';

const strict = { additionalProperties: false } as const;
// Postgres text cannot hold U+0000.
const NO_NUL = '^[^\\u0000]*$';

const Email = Type.String({
  minLength: 1,
  maxLength: 320,
  pattern: NO_NUL,
  description: 'Normalised: trimmed, NFKC, lower-case',
});
const Password = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: '8 to 256 characters (code points)',
});
const SecretToken = Type.String({ pattern: SECRET_TOKEN_PATTERN });

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    displayName: Type.String({ minLength: 1, maxLength: 100, pattern: NO_NUL }),
  },
  strict,
);
export const LoginBody = Type.Object({ email: Email, password: Password }, strict);
export const TokenBody = Type.Object({ token: SecretToken }, strict);
export const ResetRequestBody = Type.Object({ email: Email }, strict);
export const ResetConfirmBody = Type.Object({ token: SecretToken, newPassword: Password }, strict);
export const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: Password }, strict);

export const Accepted = Type.Object({ status: Type.Literal('accepted'), message: Type.String() }, strict);
export const SessionTokensSchema = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.String(),
    tokenType: Type.String(),
    expiresIn: Type.Integer(),
    sessionId: Type.String(),
  },
  strict,
);
