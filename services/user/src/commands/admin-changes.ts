// An admin's changes to a user, each in the caller's transaction: lock the row, let the domain
// plan the change, write it and publish its event through the outbox (both or neither). A no-op
// writes and publishes nothing; a refusal throws the catalog error.
import { AppError, commonErrors, fieldError } from '@shopnow/chassis';
import type pg from 'pg';
import { meaningfulText } from '../domain/text.ts';
import {
  mayAdminister,
  type Plan,
  planReactivation,
  planRolesChange,
  planSuspension,
  planTierChange,
  type Refusal,
} from '../domain/transitions.ts';
import type { Tier, User } from '../domain/user.ts';
import { userErrors, userNotFound } from '../errors.ts';
import {
  type Publisher,
  publishReactivated,
  publishRolesChanged,
  publishSuspended,
  publishTierChanged,
} from '../events/publish-user-events.ts';
import { findUserById, updateUser } from '../store/users.ts';

/** Who asks (their user id, for the self-protection rules) and how events are published. */
export interface ChangeContext {
  tx: pg.PoolClient;
  events: Publisher;
  actorId: string;
}

export async function changeRoles(
  ctx: ChangeContext,
  userId: string,
  roles: readonly string[],
): Promise<User> {
  const before = await lockUser(ctx.tx, userId);
  const plan = accepted(planRolesChange(ctx.actorId, before, roles));
  if (plan === undefined) return before;
  const after = await mustUpdate(ctx.tx, userId, { roles: plan.roles });
  await publishRolesChanged(ctx.events, ctx.tx, {
    userId,
    roles: after.roles,
    previousRoles: plan.previousRoles,
  });
  return after;
}

export async function changeTier(ctx: ChangeContext, userId: string, tier: Tier): Promise<User> {
  const before = await lockUser(ctx.tx, userId);
  const plan = accepted(planTierChange(before, tier));
  if (plan === undefined) return before;
  const after = await mustUpdate(ctx.tx, userId, { tier: plan.tier });
  await publishTierChanged(ctx.events, ctx.tx, { userId, tier: plan.tier, previousTier: plan.previousTier });
  return after;
}

export async function suspendUser(ctx: ChangeContext, userId: string, reasonText: string): Promise<User> {
  const reason = meaningfulText(reasonText);
  if (reason === undefined)
    throw fieldError(userErrors['user.blank_reason'], 'body', '/reason', 'must not be blank');
  const before = await lockUser(ctx.tx, userId);
  accepted(planSuspension(ctx.actorId, before, reason));
  const after = await mustUpdate(ctx.tx, userId, { status: 'suspended', suspendedReason: reason });
  await publishSuspended(ctx.events, ctx.tx, { userId, reason });
  return after;
}

export async function reactivateUser(ctx: ChangeContext, userId: string): Promise<User> {
  const before = await lockUser(ctx.tx, userId);
  accepted(planReactivation(before));
  const after = await mustUpdate(ctx.tx, userId, { status: 'active', suspendedReason: null });
  await publishReactivated(ctx.events, ctx.tx, { userId });
  return after;
}

/**
 * Refuses (403) an admin whose token still says admin but whose record no longer does (demoted
 * or suspended since the token was minted). A plain read, not a lock: two admins demoting each
 * other at once must not deadlock.
 */
export async function ensureStillAdmin(tx: pg.PoolClient, actorId: string): Promise<void> {
  const { rows } = await tx.query<{ roles: User['roles']; status: User['status'] }>(
    'SELECT roles, status FROM users WHERE id = $1',
    [actorId],
  );
  if (!mayAdminister(rows[0])) {
    throw new AppError(commonErrors.forbidden, 'Your admin role or account has changed; sign in again');
  }
}

async function lockUser(tx: pg.PoolClient, userId: string): Promise<User> {
  const user = await findUserById(tx, userId, { forUpdate: true });
  if (user === undefined) throw userNotFound(userId);
  return user;
}

async function mustUpdate(tx: pg.PoolClient, userId: string, changes: Parameters<typeof updateUser>[2]) {
  const user = await updateUser(tx, userId, changes);
  if (user === undefined) throw userNotFound(userId);
  return user;
}

/** The change to make, undefined for a no-op; a refusal is thrown as its catalog error. */
function accepted<C>(plan: Plan<C>): C | undefined {
  if (plan.kind === 'change') return plan.change;
  if (plan.kind === 'noop') return undefined;
  throw refusalError(plan);
}

function refusalError(refusal: Refusal): AppError {
  switch (refusal.refused) {
    case 'invalid_roles':
      return fieldError(userErrors['user.invalid_roles'], 'body', '/roles', refusal.message);
    case 'self_demotion':
      return new AppError(userErrors['user.cannot_demote_self']);
    case 'self_suspension':
      return new AppError(userErrors['user.cannot_suspend_self']);
    case 'not_active':
      return new AppError(userErrors['user.not_active']);
    case 'not_suspended':
      return new AppError(userErrors['user.not_suspended']);
  }
}
