// SQL for preferences: one row per user, created by the registration event or on first read.
import { DEFAULT_PREFERENCES, type Preferences } from '../domain/preferences.ts';
import type { Queryable } from './db.ts';

export interface StoredPreferences extends Preferences {
  userId: string;
  /** ISO 8601, as the API shows it. */
  updatedAt: string;
}

interface Row {
  user_id: string;
  marketing_opt_in: boolean;
  channels: Preferences['channels'];
  locale: string;
  currency: Preferences['currency'];
  updated_at: Date;
}

const COLUMNS = 'user_id, marketing_opt_in, channels, locale, currency, updated_at';

function fromRow(row: Row): StoredPreferences {
  return {
    userId: row.user_id,
    marketingOptIn: row.marketing_opt_in,
    channels: row.channels,
    locale: row.locale,
    currency: row.currency,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Creates the default row unless one exists (idempotent: an event may arrive after a lazy read). */
export async function ensurePreferences(q: Queryable, userId: string): Promise<void> {
  const d = DEFAULT_PREFERENCES;
  await q.query(
    `INSERT INTO preferences (user_id, marketing_opt_in, channels, locale, currency)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING`,
    [userId, d.marketingOptIn, d.channels, d.locale, d.currency],
  );
}

export async function findPreferences(
  q: Queryable,
  userId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPreferences | undefined> {
  const lock = options.forUpdate ? ' FOR UPDATE' : '';
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM preferences WHERE user_id = $1${lock}`, [
    userId,
  ]);
  return rows[0] && fromRow(rows[0]);
}

export async function savePreferences(
  q: Queryable,
  userId: string,
  prefs: Preferences,
): Promise<StoredPreferences> {
  const { rows } = await q.query<Row>(
    `INSERT INTO preferences (user_id, marketing_opt_in, channels, locale, currency)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id) DO UPDATE SET
       marketing_opt_in = excluded.marketing_opt_in, channels = excluded.channels,
       locale = excluded.locale, currency = excluded.currency, updated_at = now()
     RETURNING ${COLUMNS}`,
    [userId, prefs.marketingOptIn, prefs.channels, prefs.locale, prefs.currency],
  );
  return fromRow(rows[0] as Row);
}
