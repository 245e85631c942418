import type pg from 'pg';

export interface DeadLetter {
  id: string;
  consumerGroup: string;
  eventId: string | null;
  eventType: string | null;
  /** The message as it arrived (JSON text of the envelope, or whatever bytes came). */
  payload: string;
  error: string;
  attempts: number;
  failedAt: string;
  replayedAt: string | null;
}

export interface NewDeadLetter {
  consumerGroup: string;
  eventId: string | null;
  eventType: string | null;
  payload: string;
  error: string;
  attempts: number;
}

export interface ListDeadLettersQuery {
  group?: string | undefined;
  /** Include replayed ones (default: only those waiting). */
  includeReplayed?: boolean | undefined;
  limit: number;
  /** Only ids below this one (newest first paging). */
  before?: string | undefined;
}

interface Row {
  id: string;
  consumer_group: string;
  event_id: string | null;
  event_type: string | null;
  payload: string;
  error: string;
  attempts: number;
  failed_at: Date;
  replayed_at: Date | null;
}

const COLUMNS = 'id, consumer_group, event_id, event_type, payload, error, attempts, failed_at, replayed_at';

export async function recordDeadLetter(db: pg.Pool | pg.ClientBase, letter: NewDeadLetter): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into event_dead_letters (consumer_group, event_id, event_type, payload, error, attempts)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [
      letter.consumerGroup,
      letter.eventId,
      letter.eventType,
      letter.payload,
      letter.error.slice(0, 4000),
      letter.attempts,
    ],
  );
  return String(rows[0]?.id);
}

export async function listDeadLetters(db: pg.Pool, query: ListDeadLettersQuery): Promise<DeadLetter[]> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from event_dead_letters
      where ($1::text is null or consumer_group = $1)
        and ($2::boolean or replayed_at is null)
        and ($3::bigint is null or id < $3)
      order by id desc limit $4`,
    [query.group ?? null, query.includeReplayed ?? false, query.before ?? null, query.limit],
  );
  return rows.map(toDeadLetter);
}

export async function getDeadLetter(
  db: pg.Pool | pg.ClientBase,
  id: string,
): Promise<DeadLetter | undefined> {
  const { rows } = await db.query<Row>(`select ${COLUMNS} from event_dead_letters where id = $1`, [id]);
  return rows[0] === undefined ? undefined : toDeadLetter(rows[0]);
}

/** Marks a dead letter replayed; false when it was already (a concurrent replay won). */
export async function markReplayed(db: pg.ClientBase, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'update event_dead_letters set replayed_at = now() where id = $1 and replayed_at is null',
    [id],
  );
  return rowCount === 1;
}

function toDeadLetter(row: Row): DeadLetter {
  return {
    id: String(row.id),
    consumerGroup: row.consumer_group,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    error: row.error,
    attempts: row.attempts,
    failedAt: row.failed_at.toISOString(),
    replayedAt: row.replayed_at?.toISOString() ?? null,
  };
}
