// What an admin may change about a user, decided before anything is written: each plan is a
// change to apply (with the event it implies), a no-op (nothing written, nothing published), or
// a refusal. Self-protection: an admin cannot take away their own admin role or suspend
// themselves, so the shop cannot lose its last admin by accident from the console.
import { normalizeRoles, sameRoles } from './roles.ts';
import type { Role, Tier, User } from './user.ts';

export type Refusal =
  | { refused: 'invalid_roles'; message: string }
  | { refused: 'self_demotion' }
  | { refused: 'self_suspension' }
  | { refused: 'not_active' }
  | { refused: 'not_suspended' };

export type Plan<C> = { kind: 'change'; change: C } | { kind: 'noop' } | ({ kind: 'refused' } & Refusal);

type Target = Pick<User, 'id' | 'roles' | 'tier' | 'status'>;

export function planRolesChange(
  actorId: string,
  target: Target,
  requested: readonly string[],
): Plan<{ roles: Role[]; previousRoles: Role[] }> {
  const checked = normalizeRoles(requested);
  if (!checked.ok) return { kind: 'refused', refused: 'invalid_roles', message: checked.message };
  if (sameRoles(checked.roles, target.roles)) return { kind: 'noop' };
  if (actorId === target.id && target.roles.includes('admin') && !checked.roles.includes('admin')) {
    return { kind: 'refused', refused: 'self_demotion' };
  }
  return { kind: 'change', change: { roles: checked.roles, previousRoles: [...target.roles] } };
}

export function planTierChange(target: Target, tier: Tier): Plan<{ tier: Tier; previousTier: Tier }> {
  if (tier === target.tier) return { kind: 'noop' };
  return { kind: 'change', change: { tier, previousTier: target.tier } };
}

export function planSuspension(actorId: string, target: Target, reason: string): Plan<{ reason: string }> {
  if (actorId === target.id) return { kind: 'refused', refused: 'self_suspension' };
  if (target.status !== 'active') return { kind: 'refused', refused: 'not_active' };
  return { kind: 'change', change: { reason } };
}

export function planReactivation(target: Target): Plan<Record<string, never>> {
  if (target.status !== 'suspended') return { kind: 'refused', refused: 'not_suspended' };
  return { kind: 'change', change: {} };
}

/**
 * Whether the acting admin, as this service's records have them now, may still administer: an
 * access token outlives a demotion or suspension by up to its lifetime, the records do not.
 */
export function mayAdminister(actor: Pick<User, 'roles' | 'status'> | undefined): boolean {
  return actor !== undefined && actor.status === 'active' && actor.roles.includes('admin');
}
