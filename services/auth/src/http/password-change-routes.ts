// POST /password/change: the signed-in user changes their password, proving the current one.
// auth.password_changed.v1 makes the token service revoke every session of the account.
import { type App, AppError, clientIpOf, requireUser, userOf, withTransaction } from '@shopnow/chassis';
import { AuthPasswordChangedV1 } from '@shopnow/contracts';
import { attemptLogin } from '../accounts/login-attempt.ts';
import { authErrors, INVALID_CREDENTIALS_DETAIL, TOO_MANY_ATTEMPTS_DETAIL } from '../errors.ts';
import { hashPassword, verifyPassword } from '../passwords/argon2.ts';
import { findAccountById, setPasswordHash } from '../store/accounts.ts';
import type { RouteDeps } from './deps.ts';
import { assertPasswordAllowed } from './inputs.ts';
import { ChangePasswordBody } from './schemas.ts';

export function registerPasswordChangeRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/password/change',
    {
      preHandler: requireUser,
      schema: {
        summary: "Change the signed-in user's password (the current one is required)",
        tags: ['passwords'],
        body: ChangePasswordBody,
      },
    },
    async (request, reply) => {
      const { userId } = userOf(request);
      const { currentPassword, newPassword } = request.body;
      const account = await findAccountById(deps.db, userId);
      if (account === undefined) {
        await verifyPassword(currentPassword, deps.dummyHash);
        throw new AppError(authErrors['auth.invalid_credentials'], INVALID_CREDENTIALS_DETAIL);
      }
      // The current password is checked like a login, under the same throttle: a stolen access
      // token must not become a way to guess the password without limit.
      const attempt = await attemptLogin(deps, {
        email: account.email,
        password: currentPassword,
        ip: clientIpOf(request),
      });
      if (attempt.outcome === 'throttled') {
        reply.header('retry-after', String(Math.ceil(attempt.retryAfterMs / 1000)));
        throw new AppError(authErrors['auth.too_many_attempts'], TOO_MANY_ATTEMPTS_DETAIL);
      }
      if (attempt.outcome === 'invalid' || attempt.userId !== account.id) {
        throw new AppError(authErrors['auth.invalid_credentials'], INVALID_CREDENTIALS_DETAIL);
      }
      assertPasswordAllowed(newPassword, account.email, '/newPassword');
      const passwordHash = await hashPassword(newPassword);
      await withTransaction(deps.db, async (tx) => {
        // The row lock orders this against a concurrent reset; the newer write wins.
        await findAccountById(tx, account.id, { forUpdate: true });
        await setPasswordHash(tx, account.id, passwordHash);
        await deps.events.publish(tx, AuthPasswordChangedV1, {
          subject: account.id,
          data: { userId: account.id, email: account.email, via: 'change' },
        });
      });
      return reply.code(204).send();
    },
  );
}
