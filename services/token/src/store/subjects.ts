// The subjects projection: roles, tier and status of each user, from auth.* and user.* events.
// A user the projection has not heard of yet (the registration event may still be on its way)
// is a plain active customer.
import type { Role, Tier, UserStatus } from '@shopnow/contracts';
import type { Queryable } from './db.ts';

export interface Subject {
  userId: string;
  roles: Role[];
  tier: Tier;
  status: UserStatus;
}

export function defaultSubject(userId: string): Subject {
  return { userId, roles: ['customer'], tier: 'free', status: 'active' };
}

export async function findSubject(db: Queryable, userId: string): Promise<Subject> {
  const { rows } = await db.query('select roles, tier, status from subjects where user_id = $1', [userId]);
  const row = rows[0];
  return row === undefined
    ? defaultSubject(userId)
    : { userId, roles: row.roles, tier: row.tier, status: row.status };
}

/** Registration: the defaults, unless a later event already created the row. */
export async function insertSubject(db: Queryable, userId: string, at: Date): Promise<void> {
  const subject = defaultSubject(userId);
  await db.query(
    `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, $2, $3, $4, $5)
     on conflict (user_id) do nothing`,
    [userId, subject.roles, subject.tier, subject.status, at],
  );
}

type Change = { roles: Role[] } | { tier: Tier } | { status: UserStatus };

/** Sets one field, creating the row with defaults for the others if the user is new here. */
export async function changeSubject(db: Queryable, userId: string, change: Change, at: Date): Promise<void> {
  const next = { ...defaultSubject(userId), ...change };
  const [column, value] = Object.entries(change)[0] as [keyof Change, unknown];
  await db.query(
    `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, $2, $3, $4, $5)
     on conflict (user_id) do update set ${column} = $6, updated_at = $5`,
    [userId, next.roles, next.tier, next.status, at, value],
  );
}
