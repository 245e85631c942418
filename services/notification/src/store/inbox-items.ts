// SQL of the in-app inbox: one item per message that goes there, read by its user only.
import type { Kind } from '../domain/message-kinds.ts';
import type { Queryable } from './db.ts';

export interface InboxItem {
  id: string;
  messageId: string;
  userId: string;
  kind: Kind;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

const COLUMNS = `id, message_id AS "messageId", user_id AS "userId", kind, title, body, link,
  created_at AS "createdAt", read_at AS "readAt"`;

export async function insertInboxItem(
  db: Queryable,
  item: {
    id: string;
    messageId: string;
    userId: string;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    /** When it happened, which orders the inbox (not when it was prepared: that is concurrent). */
    createdAt: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO inbox_items (id, message_id, user_id, kind, title, body, link, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (message_id) DO NOTHING`,
    [item.id, item.messageId, item.userId, item.kind, item.title, item.body, item.link, item.createdAt],
  );
}

/** The user's items, newest first (keyset paging); only unread ones when asked. */
export async function listInbox(
  db: Queryable,
  q: {
    userId: string;
    unreadOnly: boolean;
    after?: { createdAt: Date; id: string } | undefined;
    limit: number;
  },
): Promise<InboxItem[]> {
  const { rows } = await db.query<InboxItem>(
    `SELECT ${COLUMNS} FROM inbox_items
     WHERE user_id = $1 AND (NOT $2 OR read_at IS NULL)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $5`,
    [q.userId, q.unreadOnly, q.after?.createdAt ?? null, q.after?.id ?? null, q.limit],
  );
  return rows;
}

export async function unreadCount(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM inbox_items WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

/** Marks the user's item read (a second time keeps the first time); undefined when it is not theirs. */
export async function markRead(db: Queryable, userId: string, id: string): Promise<InboxItem | undefined> {
  const { rows } = await db.query<InboxItem>(
    `UPDATE inbox_items SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
    [id, userId],
  );
  return rows[0];
}

/** Marks every unread item of the user read; returns how many. */
export async function markAllRead(db: Queryable, userId: string): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE inbox_items SET read_at = now() WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return rowCount ?? 0;
}
