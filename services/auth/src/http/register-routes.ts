// POST /register: the same 202 whether the email is new or taken (no account enumeration,
// ASVS V6.3.8). The password is hashed either way so the two take about as long; the owner of a
// taken address learns of the attempt by email (auth.registration_repeated.v1).
import { randomUUID } from 'node:crypto';
import { type App, commonErrors, fieldError, withTransaction } from '@shopnow/chassis';
import { AuthRegistrationRepeatedV1 } from '@shopnow/contracts';
import { createAccount } from '../accounts/create-account.ts';

import { hashPassword } from '../passwords/argon2.ts';
import type { RouteDeps } from './deps.ts';
import { assertPasswordAllowed, emailFrom } from './inputs.ts';
import { Accepted, RegisterBody } from './schemas.ts';

export const REGISTER_ANSWER = { status: 'accepted', message: 'Check your email' } as const;

export function registerRegisterRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/register',
    {
      schema: {
        summary: 'Create an account (the answer is the same when the email is already registered)',
        tags: ['accounts'],
        body: RegisterBody,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const email = emailFrom(request.body.email);
      const displayName = request.body.displayName.trim();
      if (displayName.length === 0) {
        throw fieldError(commonErrors.validation_failed, 'body', '/displayName', 'must not be blank');
      }
      assertPasswordAllowed(request.body.password, email, '/password');
      const passwordHash = await hashPassword(request.body.password);
      await withTransaction(deps.db, async (tx) => {
        const created = await createAccount(tx, deps, {
          id: randomUUID(),
          email,
          displayName,
          passwordHash,
          verified: false,
        });
        if (created.outcome === 'taken') {
          await deps.events.publish(tx, AuthRegistrationRepeatedV1, {
            subject: created.userId,
            data: { userId: created.userId, email },
          });
        }
      });
      reply.code(202);
      return REGISTER_ANSWER;
    },
  );
}
