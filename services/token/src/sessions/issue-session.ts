// Signing in: a new session (refresh-token family) with its first refresh token, and an access
// token carrying the subject's current roles and tier.
import { randomUUID } from 'node:crypto';
import { AppError, withTransaction } from '@shopnow/chassis';
import { SESSION_LIFETIME_MS } from '../domain/lifetimes.ts';
import { digest, newSecret } from '../domain/secrets.ts';
import { tokenErrors } from '../errors.ts';
import type { RouteDeps } from '../http/deps.ts';
import { insertRefreshToken, insertSession } from '../store/sessions.ts';
import { findSubject, type Subject } from '../store/subjects.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  sessionId: string;
}

export interface Device {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

export async function issueSession(
  { db, minter }: Pick<RouteDeps, 'db' | 'minter'>,
  userId: string,
  device: Device = {},
): Promise<TokenPair> {
  const sessionId = randomUUID();
  const refreshToken = newSecret();
  const subject = await withTransaction(db, async (tx) => {
    const found = await findSubject(tx, userId);
    if (found.status === 'suspended') throw new AppError(tokenErrors['token.subject_suspended']);
    const now = new Date();
    await insertSession(tx, {
      id: sessionId,
      userId,
      userAgent: device.userAgent,
      ip: device.ip,
      now,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
    });
    await insertRefreshToken(tx, sessionId, digest(refreshToken), now);
    return found;
  });
  return pairFor(minter, subject, sessionId, refreshToken);
}

export async function pairFor(
  minter: RouteDeps['minter'],
  subject: Subject,
  sessionId: string,
  refreshToken: string,
): Promise<TokenPair> {
  const { token, expiresIn } = await minter.mint({
    sub: subject.userId,
    roles: subject.roles,
    tier: subject.tier,
    sid: sessionId,
  });
  return { accessToken: token, refreshToken, tokenType: 'Bearer', expiresIn, sessionId };
}
