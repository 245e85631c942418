// API keys, stored as digests only; the key itself is shown once, at creation.
import type { Tier } from '@shopnow/contracts';
import type { Queryable } from './db.ts';

export interface ApiKeyRow {
  id: string;
  userId: string;
  name: string;
  scopes: string[];
  tier: Tier;
  createdAt: Date;
  lastUsedAt: Date | undefined;
}

function toApiKey(row: Record<string, unknown>): ApiKeyRow {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    name: row.name as string,
    scopes: row.scopes as string[],
    tier: row.tier as Tier,
    createdAt: row.created_at as Date,
    lastUsedAt: (row.last_used_at as Date | null) ?? undefined,
  };
}

const COLUMNS = 'id, user_id, name, scopes, tier, created_at, last_used_at';

export async function countActiveApiKeys(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query(
    'select count(*)::int as n from api_keys where user_id = $1 and revoked_at is null',
    [userId],
  );
  return rows[0].n;
}

export async function insertApiKey(
  tx: Queryable,
  key: Omit<ApiKeyRow, 'lastUsedAt'> & { keyHash: Buffer },
): Promise<ApiKeyRow> {
  const { rows } = await tx.query(
    `insert into api_keys (id, user_id, name, scopes, tier, key_hash, created_at)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
    [key.id, key.userId, key.name, key.scopes, key.tier, key.keyHash, key.createdAt],
  );
  return toApiKey(rows[0]);
}

export async function listActiveApiKeys(db: Queryable, userId: string): Promise<ApiKeyRow[]> {
  const { rows } = await db.query(
    `select ${COLUMNS} from api_keys where user_id = $1 and revoked_at is null order by created_at desc, id`,
    [userId],
  );
  return rows.map(toApiKey);
}

/** Revokes a key; `ownerId` limits it to that user's keys (undefined: any key, for admins). */
export async function revokeApiKey(
  db: Queryable,
  id: string,
  ownerId: string | undefined,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update api_keys set revoked_at = $3
      where id = $1 and revoked_at is null and ($2::text is null or user_id = $2)`,
    [id, ownerId ?? null, now],
  );
  return rowCount === 1;
}

/** The live key with this digest, marked used now. */
export async function useApiKey(db: Queryable, keyHash: Buffer, now: Date): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query(
    `update api_keys set last_used_at = $2 where key_hash = $1 and revoked_at is null returning ${COLUMNS}`,
    [keyHash, now],
  );
  return rows[0] === undefined ? undefined : toApiKey(rows[0]);
}
