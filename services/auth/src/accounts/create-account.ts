// Creating an account, shared by POST /register and the admin command: the row, then
// auth.user_registered.v1 (the user, profile and token services build on it) and, unless the
// email is already verified, a verification token and auth.email_verification_requested.v1.
// All in the caller's transaction, so the events go out if and only if the account exists.
import { AuthEmailVerificationRequestedV1, AuthUserRegisteredV1 } from '@shopnow/contracts';
import type { Events } from '@shopnow/events';
import type pg from 'pg';
import { newSecretToken } from '../domain/secret-token.ts';
import { findAccountByEmail, insertAccount } from '../store/accounts.ts';
import { insertToken } from '../store/one-time-tokens.ts';

export const EMAIL_VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

export type CreateOutcome = { outcome: 'created'; userId: string } | { outcome: 'taken'; userId: string };

export async function createAccount(
  tx: pg.ClientBase,
  deps: { events: Pick<Events, 'publish'>; clock: () => Date },
  input: { id: string; email: string; displayName: string; passwordHash: string; verified: boolean },
): Promise<CreateOutcome> {
  const now = deps.clock();
  const { id, email, displayName, passwordHash } = input;
  const inserted = await insertAccount(tx, {
    id,
    email,
    passwordHash,
    verifiedAt: input.verified ? now : null,
  });
  if (inserted === undefined) {
    const existing = await findAccountByEmail(tx, email);
    if (existing === undefined) throw new Error('account: email taken but not found');
    return { outcome: 'taken', userId: existing.id };
  }
  await deps.events.publish(tx, AuthUserRegisteredV1, {
    subject: id,
    data: { userId: id, email, displayName },
  });
  if (!input.verified) {
    const { token, hash } = newSecretToken();
    const expiresAt = new Date(now.getTime() + EMAIL_VERIFICATION_TTL_MS);
    await insertToken(tx, 'email_verification_tokens', { hash, accountId: id, expiresAt });
    await deps.events.publish(tx, AuthEmailVerificationRequestedV1, {
      subject: id,
      data: { userId: id, email, token, expiresAt: expiresAt.toISOString() },
    });
  }
  return { outcome: 'created', userId: id };
}
