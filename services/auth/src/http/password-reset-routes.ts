// Password reset (ASVS V6.4): a request always gets the same 202; when the account exists it
// gets a single-use token (30 min; a newer request voids older ones) sent by email through
// auth.password_reset_requested.v1. Confirming sets the new password and publishes
// auth.password_changed.v1, on which the token service revokes every session.
import { type App, AppError, withTransaction } from '@shopnow/chassis';
import { AuthPasswordChangedV1, AuthPasswordResetRequestedV1 } from '@shopnow/contracts';
import { hashSecretToken, newSecretToken } from '../domain/secret-token.ts';
import { accountThrottleKey } from '../domain/throttle-keys.ts';
import { authErrors } from '../errors.ts';
import { hashPassword } from '../passwords/argon2.ts';
import { findAccountByEmail, findAccountById, setPasswordHash } from '../store/accounts.ts';
import { deleteUnusedTokens, findLiveToken, insertToken, useToken } from '../store/one-time-tokens.ts';
import { clearThrottle } from '../store/throttle.ts';
import type { RouteDeps } from './deps.ts';
import { assertPasswordAllowed, emailFrom } from './inputs.ts';
import { Accepted, ResetConfirmBody, ResetRequestBody } from './schemas.ts';

export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;
export const RESET_ANSWER = {
  status: 'accepted',
  message: 'If an account has this email, a reset link is on its way',
} as const;

export function registerPasswordResetRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/password-reset/request',
    {
      schema: {
        summary: 'Ask for a password reset email (same answer whether or not the account exists)',
        tags: ['passwords'],
        body: ResetRequestBody,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const email = emailFrom(request.body.email);
      await withTransaction(deps.db, async (tx) => {
        const account = await findAccountByEmail(tx, email);
        if (account === undefined) return;
        await deleteUnusedTokens(tx, 'password_reset_tokens', account.id);
        const { token, hash } = newSecretToken();
        const expiresAt = new Date(deps.clock().getTime() + RESET_TOKEN_TTL_MS);
        await insertToken(tx, 'password_reset_tokens', { hash, accountId: account.id, expiresAt });
        await deps.events.publish(tx, AuthPasswordResetRequestedV1, {
          subject: account.id,
          data: { userId: account.id, email: account.email, token, expiresAt: expiresAt.toISOString() },
        });
      });
      reply.code(202);
      return RESET_ANSWER;
    },
  );

  app.post(
    '/password-reset/confirm',
    {
      schema: {
        summary: 'Set a new password with the token from the reset email',
        tags: ['passwords'],
        body: ResetConfirmBody,
      },
    },
    async (request, reply) => {
      const hash = hashSecretToken(request.body.token);
      const { newPassword } = request.body;
      // Look first (the token stays usable if the new password is refused), hash outside any
      // transaction, then spend the token and set the password in one.
      const accountId = await findLiveToken(deps.db, 'password_reset_tokens', hash, deps.clock());
      const account = accountId === undefined ? undefined : await findAccountById(deps.db, accountId);
      if (account === undefined) throw new AppError(authErrors['auth.invalid_token']);
      assertPasswordAllowed(newPassword, account.email, '/newPassword');
      const passwordHash = await hashPassword(newPassword);
      await withTransaction(deps.db, async (tx) => {
        if ((await useToken(tx, 'password_reset_tokens', hash, deps.clock())) !== account.id) {
          throw new AppError(authErrors['auth.invalid_token']);
        }
        await setPasswordHash(tx, account.id, passwordHash);
        await deleteUnusedTokens(tx, 'password_reset_tokens', account.id);
        // Proving ownership of the mailbox ends a lockout.
        await clearThrottle(tx, accountThrottleKey(account.email));
        await deps.events.publish(tx, AuthPasswordChangedV1, {
          subject: account.id,
          data: { userId: account.id, email: account.email, via: 'reset' },
        });
      });
      return reply.code(204).send();
    },
  );
}
