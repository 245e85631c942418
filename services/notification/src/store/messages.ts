// SQL of messages, the outbox of emails: made once per (event, recipient, kind), prepared and
// sent by the sender loop, which claims due rows with a lease (SKIP LOCKED: replicas share them).
import type { Category, Kind } from '../domain/message-kinds.ts';
import type { Queryable } from './db.ts';

export type MessageStatus = 'pending' | 'queued' | 'sent' | 'stored' | 'skipped' | 'dead';

export interface Message {
  id: string;
  kind: Kind;
  category: Category;
  userId: string | null;
  toEmail: string | null;
  params: unknown;
  sourceEventId: string;
  sourceEventType: string;
  status: MessageStatus;
  locale: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  skipReason: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  smtpResponse: string | null;
  sentAt: Date | null;
  deadAt: Date | null;
  /** When the fact behind it happened (its event's time). */
  occurredAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, kind, category, user_id AS "userId", to_email AS "toEmail", params,
  source_event_id AS "sourceEventId", source_event_type AS "sourceEventType", status, locale, subject,
  html, text_body AS "text", skip_reason AS "skipReason", attempts, next_attempt_at AS "nextAttemptAt",
  last_error AS "lastError", smtp_response AS "smtpResponse", sent_at AS "sentAt", dead_at AS "deadAt",
  occurred_at AS "occurredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewMessage {
  id: string;
  dedupeKey: string;
  kind: Kind;
  category: Category;
  userId: string | null;
  toEmail: string | null;
  params: unknown;
  sourceEventId: string;
  sourceEventType: string;
  occurredAt: Date;
}

/** Stores the message, due at once; false when its key was taken already (a redelivered event). */
export async function insertMessage(db: Queryable, m: NewMessage): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO messages (id, dedupe_key, kind, category, user_id, to_email, params, source_event_id,
                           source_event_type, occurred_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      m.id,
      m.dedupeKey,
      m.kind,
      m.category,
      m.userId,
      m.toEmail,
      JSON.stringify(m.params),
      m.sourceEventId,
      m.sourceEventType,
      m.occurredAt,
    ],
  );
  return rowCount === 1;
}

/** One marketing message per known recipient (a promotion); returns how many were made. */
export async function insertForEveryRecipient(
  db: Queryable,
  m: {
    kind: Kind;
    category: Category;
    keyPrefix: string;
    params: unknown;
    sourceEventId: string;
    sourceEventType: string;
  },
): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO messages (id, dedupe_key, kind, category, user_id, params, source_event_id, source_event_type,
                           next_attempt_at)
     SELECT gen_random_uuid(), $1 || '|' || user_id || '|' || $2, $2, $3, user_id, $4, $5, $6, now()
     FROM recipients
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [m.keyPrefix, m.kind, m.category, JSON.stringify(m.params), m.sourceEventId, m.sourceEventType],
  );
  return rowCount ?? 0;
}

/**
 * Takes up to `limit` messages whose next step is due and leases them for `leaseMs`: their
 * next_attempt_at moves past the step's time budget, so no other sender takes them meanwhile, and
 * one whose sender died is taken again when the lease runs out.
 */
export async function claimDue(db: Queryable, limit: number, leaseMs: number): Promise<Message[]> {
  const { rows } = await db.query<Message>(
    `UPDATE messages SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
     WHERE id IN (SELECT id FROM messages
                  WHERE next_attempt_at <= now()
                  ORDER BY next_attempt_at
                  LIMIT $1
                  FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [limit, leaseMs],
  );
  return rows;
}

export interface Prepared {
  toEmail: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  /** queued: to be emailed; stored: no SMTP server is set, kept for reading; skipped: no email. */
  status: 'queued' | 'stored' | 'skipped';
  skipReason?: string | undefined;
}

/**
 * Records the rendering. A queued message stays leased for `leaseMs`: the sender that prepared it
 * sends it at once, and no other may take it meanwhile (only if that sender dies).
 */
export async function markPrepared(
  db: Queryable,
  id: string,
  p: Prepared,
  leaseMs: number,
): Promise<Message> {
  const { rows } = await db.query<Message>(
    `UPDATE messages SET to_email = $2, locale = $3, subject = $4, html = $5, text_body = $6, status = $7,
       skip_reason = $8, next_attempt_at = CASE WHEN $7 = 'queued' THEN now() + make_interval(secs => $9::float8 / 1000) END, last_error = NULL, attempts = 0,
       updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, p.toEmail, p.locale, p.subject, p.html, p.text, p.status, p.skipReason ?? null, leaseMs],
  );
  return rows[0] as Message;
}

/** Not now: one more attempt counted, the next one due at `at`. */
export async function markRetry(db: Queryable, id: string, at: Date, error: string): Promise<void> {
  await db.query(
    `UPDATE messages SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, updated_at = now()
     WHERE id = $1`,
    [id, at, error.slice(0, 2000)],
  );
}

export async function markSent(db: Queryable, id: string, smtpResponse: string): Promise<void> {
  await db.query(
    `UPDATE messages SET status = 'sent', attempts = attempts + 1, next_attempt_at = NULL, sent_at = now(),
       smtp_response = $2, last_error = NULL, updated_at = now()
     WHERE id = $1`,
    [id, smtpResponse.slice(0, 2000)],
  );
}

/** Given up: why, kept on the row for the admin list (which can retry it). */
export async function markDead(db: Queryable, id: string, reason: string, attempted: boolean): Promise<void> {
  await db.query(
    `UPDATE messages SET status = 'dead', attempts = attempts + CASE WHEN $3 THEN 1 ELSE 0 END,
       next_attempt_at = NULL, dead_at = now(), last_error = $2, updated_at = now()
     WHERE id = $1`,
    [id, reason.slice(0, 2000), attempted],
  );
}

export async function markSkipped(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE messages SET status = 'skipped', skip_reason = $2, next_attempt_at = NULL, updated_at = now()
     WHERE id = $1`,
    [id, reason],
  );
}

/** A dead message back to work: sent again if it was rendered, else prepared again. Undefined unless dead. */
export async function reviveDead(db: Queryable, id: string): Promise<Message | undefined> {
  const { rows } = await db.query<Message>(
    `UPDATE messages SET status = CASE WHEN subject IS NULL THEN 'pending' ELSE 'queued' END, attempts = 0,
       next_attempt_at = now(), dead_at = NULL, updated_at = now()
     WHERE id = $1 AND status = 'dead' RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0];
}

export async function findMessage(db: Queryable, id: string): Promise<Message | undefined> {
  const { rows } = await db.query<Message>(`SELECT ${COLUMNS} FROM messages WHERE id = $1`, [id]);
  return rows[0];
}

export interface MessageFilter {
  /** Only these states. */
  statuses: readonly MessageStatus[];
  toEmail?: string | undefined;
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, by creation time and id (keyset paging). */
export async function listMessages(db: Queryable, filter: MessageFilter): Promise<Message[]> {
  const { rows } = await db.query<Message>(
    `SELECT ${COLUMNS} FROM messages
     WHERE status = ANY($1::text[])
       AND ($2::text IS NULL OR lower(to_email) = lower($2))
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $5`,
    [
      filter.statuses,
      filter.toEmail ?? null,
      filter.after?.createdAt ?? null,
      filter.after?.id ?? null,
      filter.limit,
    ],
  );
  return rows;
}

/** Kept, readable, never sent (no SMTP server is set any more). */
export async function markStored(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE messages SET status = 'stored', next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}
