// User reads and writes. Every value reaches SQL as a parameter; only fixed fragments are
// spliced into the text.

import type { UserKey } from '../domain/paging.ts';
import { containsPattern } from '../domain/search.ts';
import {
  DEFAULT_ROLES,
  DEFAULT_TIER,
  type Role,
  type Tier,
  type User,
  type UserStatus,
} from '../domain/user.ts';
import type { Queryable } from './db.ts';
import { toUser, USER_COLUMNS, type UserRow } from './user-rows.ts';

export async function findUserById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] && toUser(rows[0]);
}

/**
 * The record of a newly registered account. Idempotent: a second registration event for the
 * same account changes nothing, except that a record `grant-role` made ahead of the event
 * (registered_at NULL) takes the account's email and display name from it, keeping its roles.
 */
export async function insertRegisteredUser(
  db: Queryable,
  account: { userId: string; email: string; displayName: string },
): Promise<void> {
  await db.query(
    `INSERT INTO users (id, email, display_name, roles, tier, registered_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (id) DO UPDATE
       SET email = EXCLUDED.email, display_name = EXCLUDED.display_name,
           registered_at = now(), updated_at = now()
       WHERE users.registered_at IS NULL`,
    [account.userId, account.email, account.displayName, DEFAULT_ROLES, DEFAULT_TIER],
  );
}

/**
 * A record ahead of its registration event (admin.ts grant-role); undefined when one exists
 * already (the event won the race).
 */
export async function insertProvisionalUser(
  db: Queryable,
  user: { id: string; email: string; roles: readonly Role[] },
): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (id, email, roles, tier) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [user.id, user.email, user.roles, DEFAULT_TIER],
  );
  return rows[0] && toUser(rows[0]);
}

export interface UserChanges {
  displayName?: string;
  roles?: readonly Role[];
  tier?: Tier;
  status?: UserStatus;
  suspendedReason?: string | null;
}

const CHANGE_COLUMNS: Record<keyof UserChanges, string> = {
  displayName: 'display_name',
  roles: 'roles',
  tier: 'tier',
  status: 'status',
  suspendedReason: 'suspended_reason',
};

/** Applies `changes` and returns the updated record (undefined when there is no such user). */
export async function updateUser(db: Queryable, id: string, changes: UserChanges): Promise<User | undefined> {
  const params: unknown[] = [id];
  const sets = ['updated_at = now()'];
  for (const [field, value] of Object.entries(changes) as Array<[keyof UserChanges, unknown]>) {
    if (value === undefined) continue;
    params.push(value);
    sets.push(`${CHANGE_COLUMNS[field]} = $${params.length}`);
  }
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    params,
  );
  return rows[0] && toUser(rows[0]);
}

export interface UserListQuery {
  /** Part of the email or display name (case-insensitive). */
  q?: string | undefined;
  role?: Role | undefined;
  tier?: Tier | undefined;
  status?: UserStatus | undefined;
  after?: UserKey | undefined;
  limit: number;
}

/** One page of users, newest first, plus the key to continue after it (undefined on the last page). */
export async function listUsers(
  db: Queryable,
  query: UserListQuery,
): Promise<{ items: User[]; nextKey: UserKey | undefined }> {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['true'];
  if (query.q !== undefined) {
    const pattern = param(containsPattern(query.q));
    where.push(`(email ILIKE ${pattern} ESCAPE '\\' OR display_name ILIKE ${pattern} ESCAPE '\\')`);
  }
  if (query.role !== undefined) where.push(`${param(query.role)} = ANY (roles)`);
  if (query.tier !== undefined) where.push(`tier = ${param(query.tier)}`);
  if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
  if (query.after !== undefined) {
    where.push(
      `(created_at, id) < (${param(query.after.createdAt)}::timestamptz, ${param(query.after.id)}::uuid)`,
    );
  }
  const { rows } = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users
      WHERE ${where.join(' AND ')}
      ORDER BY created_at DESC, id DESC
      LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const hasMore = rows.length > query.limit;
  const page = (hasMore ? rows.slice(0, query.limit) : rows).map(toUser);
  const last = page.at(-1);
  return { items: page, nextKey: hasMore && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}
