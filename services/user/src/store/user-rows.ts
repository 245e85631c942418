// The users row as Postgres returns it, and the domain record it becomes.
import type { Role, Tier, User, UserStatus } from '../domain/user.ts';

export const USER_COLUMNS =
  'id, email, display_name, roles, tier, status, suspended_reason, created_at, updated_at';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  roles: Role[];
  tier: Tier;
  status: UserStatus;
  suspended_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    tier: row.tier,
    status: row.status,
    suspendedReason: row.suspended_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
