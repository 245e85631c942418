// One login attempt under the throttle (ASVS V6.3.1): refused while the account key or the IP
// key must wait; otherwise the password is checked (against a dummy hash when the email has no
// account, so both failures cost the same), and a failure is counted on both keys. The account
// key's row stays locked for the attempt, so parallel guesses at one account queue up. A success
// also notes the device it came from (device-sign-in.ts), in the same transaction.
import { withTransaction } from '@shopnow/chassis';
import { AuthAccountLockedV1 } from '@shopnow/contracts';
import type { Events } from '@shopnow/events';
import type pg from 'pg';
import { accountFailure, ipFailure, type ThrottleRules, waitMs } from '../domain/throttle.ts';
import { accountThrottleKey, ipThrottleKey } from '../domain/throttle-keys.ts';
import { verifyPassword } from '../passwords/argon2.ts';
import { findAccountByEmail } from '../store/accounts.ts';
import { clearThrottle, lockThrottle, readThrottle, writeThrottle } from '../store/throttle.ts';
import { type DeviceSighting, noteDeviceSignIn } from './device-sign-in.ts';

export type LoginOutcome =
  | { outcome: 'ok'; userId: string }
  | { outcome: 'invalid' }
  | { outcome: 'throttled'; retryAfterMs: number };

export interface LoginDeps {
  db: pg.Pool;
  events: Events;
  clock: () => Date;
  throttle: ThrottleRules;
  dummyHash: string;
}

export async function attemptLogin(
  deps: LoginDeps,
  /** `device` only for a sign-in (a password change checks the password here too, signing no one in). */
  attempt: { email: string; password: string; ip: string; device?: DeviceSighting },
): Promise<LoginOutcome> {
  const accountKey = accountThrottleKey(attempt.email);
  const ipKey = ipThrottleKey(attempt.ip);
  return withTransaction(deps.db, async (tx) => {
    const now = deps.clock();
    const accountState = await lockThrottle(tx, accountKey, now);
    const ipState = await readThrottle(tx, ipKey);
    const retryAfterMs = Math.max(waitMs(accountState, now), waitMs(ipState, now));
    if (retryAfterMs > 0) return { outcome: 'throttled', retryAfterMs };

    const account = await findAccountByEmail(tx, attempt.email);
    const matches = await verifyPassword(attempt.password, account?.passwordHash ?? deps.dummyHash);
    if (account !== undefined && matches) {
      await clearThrottle(tx, accountKey);
      if (attempt.device) await noteDeviceSignIn(tx, deps.events, account, attempt.device, now);
      return { outcome: 'ok', userId: account.id };
    }

    const failed = accountFailure(accountState, now, deps.throttle);
    await writeThrottle(tx, accountKey, failed.state);
    await writeThrottle(tx, ipKey, ipFailure(ipState, now, deps.throttle));
    if (failed.locked && account !== undefined && failed.state.blockedUntil !== null) {
      await deps.events.publish(tx, AuthAccountLockedV1, {
        subject: account.id,
        data: {
          userId: account.id,
          email: account.email,
          lockedUntil: failed.state.blockedUntil.toISOString(),
          failedAttempts: failed.state.failures,
        },
      });
    }
    return { outcome: 'invalid' };
  });
}
