// Rows of known_devices: the devices an account has signed in from (see domain/device.ts).
import type { Queryable } from './db.ts';

/** How many devices an account keeps; the least recently seen beyond that are forgotten. */
export const MAX_KNOWN_DEVICES = 20;

export interface SeenDevice {
  fingerprint: string;
  label: string;
  ipPrefix: string | null;
}

/**
 * Records a sign-in from `device` and says whether the account had known devices before and
 * whether this one was among them. The caller holds the account's throttle row lock, so two
 * sign-ins of one account never interleave here.
 */
export async function recordDeviceSeen(
  db: Queryable,
  accountId: string,
  device: SeenDevice,
  now: Date,
): Promise<{ known: boolean; firstDevice: boolean }> {
  const before = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM known_devices WHERE account_id = $1',
    [accountId],
  );
  // xmax = 0 only on a freshly inserted row: the device was not known.
  const { rows } = await db.query<{ inserted: boolean }>(
    `INSERT INTO known_devices (account_id, fingerprint, label, first_seen_at, last_seen_at, last_ip_prefix)
     VALUES ($1, $2, $3, $4, $4, $5)
     ON CONFLICT (account_id, fingerprint) DO UPDATE SET
       label = EXCLUDED.label, last_seen_at = EXCLUDED.last_seen_at, last_ip_prefix = EXCLUDED.last_ip_prefix
     RETURNING (xmax = 0) AS inserted`,
    [accountId, device.fingerprint, device.label, now, device.ipPrefix],
  );
  await db.query(
    `DELETE FROM known_devices WHERE account_id = $1 AND fingerprint NOT IN (
       SELECT fingerprint FROM known_devices WHERE account_id = $1
       ORDER BY last_seen_at DESC, first_seen_at DESC, fingerprint LIMIT $2)`,
    [accountId, MAX_KNOWN_DEVICES],
  );
  return { known: rows[0]?.inserted !== true, firstDevice: (before.rows[0]?.n ?? 0) === 0 };
}
