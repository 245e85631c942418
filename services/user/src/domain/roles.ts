// Allowed role sets: a non-empty set of known roles. Stored deduplicated in ROLES order, so two
// requests naming the same set compare equal (and a repeat is a no-op, publishing nothing).
import { isRole, ROLES, type Role } from './user.ts';

export type RoleSetCheck = { ok: true; roles: Role[] } | { ok: false; message: string };

export function normalizeRoles(input: readonly string[]): RoleSetCheck {
  const unknown = input.find((role) => !isRole(role));
  if (unknown !== undefined) return { ok: false, message: `unknown role ${JSON.stringify(unknown)}` };
  const roles = ROLES.filter((role) => input.includes(role));
  if (roles.length === 0) return { ok: false, message: 'must name at least one role' };
  return { ok: true, roles };
}

export function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** `roles` plus `role`, in ROLES order. */
export function withRole(roles: readonly Role[], role: Role): Role[] {
  return ROLES.filter((r) => r === role || roles.includes(r));
}
