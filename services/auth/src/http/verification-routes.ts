// POST /verify-email: spends the single-use token from the verification link.
import { type App, AppError, withTransaction } from '@shopnow/chassis';
import { AuthEmailVerifiedV1 } from '@shopnow/contracts';
import { hashSecretToken } from '../domain/secret-token.ts';
import { authErrors } from '../errors.ts';
import { markEmailVerified } from '../store/accounts.ts';
import { useToken } from '../store/one-time-tokens.ts';
import type { RouteDeps } from './deps.ts';
import { TokenBody } from './schemas.ts';

export function registerVerificationRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/verify-email',
    {
      schema: {
        summary: 'Verify an email address with the token from the verification email',
        tags: ['accounts'],
        body: TokenBody,
      },
    },
    async (request, reply) => {
      const hash = hashSecretToken(request.body.token);
      await withTransaction(deps.db, async (tx) => {
        const accountId = await useToken(tx, 'email_verification_tokens', hash, deps.clock());
        const account = accountId === undefined ? undefined : await markEmailVerified(tx, accountId);
        if (account === undefined) throw new AppError(authErrors['auth.invalid_token']);
        await deps.events.publish(tx, AuthEmailVerifiedV1, {
          subject: account.id,
          data: { userId: account.id, email: account.email },
        });
      });
      return reply.code(204).send();
    },
  );
}
