// SQL for addresses. Writes to one user's address book are serialised by a transaction-scoped
// advisory lock on the user id, so the 20-address limit, "the first address is the default"
// and default moves hold under concurrent requests.
import type { AddressFields } from '../domain/address.ts';
import type { Queryable } from './db.ts';

export interface Address extends AddressFields {
  id: string;
  userId: string;
  isDefaultShipping: boolean;
  isDefaultBilling: boolean;
  /** ISO 8601, as the API shows it. */
  createdAt: string;
  updatedAt: string;
}

export type DefaultKind = 'shipping' | 'billing';

interface Row {
  id: string;
  user_id: string;
  label: string | null;
  recipient_name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
  phone: string | null;
  is_default_shipping: boolean;
  is_default_billing: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, user_id, label, recipient_name, line1, line2, city, region, postal_code, country,
  phone, is_default_shipping, is_default_billing, created_at, updated_at`;

// Column names come from this fixed map only, never from input.
const FLAG_COLUMN: Record<DefaultKind, string> = {
  shipping: 'is_default_shipping',
  billing: 'is_default_billing',
};

function fromRow(row: Row): Address {
  return {
    id: row.id,
    userId: row.user_id,
    label: row.label,
    recipientName: row.recipient_name,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
    phone: row.phone,
    isDefaultShipping: row.is_default_shipping,
    isDefaultBilling: row.is_default_billing,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const fieldValues = (a: AddressFields) => [
  a.label,
  a.recipientName,
  a.line1,
  a.line2,
  a.city,
  a.region,
  a.postalCode,
  a.country,
  a.phone,
];

/** Held until the transaction ends: one writer per address book at a time. */
export async function lockAddressBook(tx: Queryable, userId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('profile.addresses:' || $1, 0))`, [userId]);
}

export async function countAddresses(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM addresses WHERE user_id = $1',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

export async function listAddresses(q: Queryable, userId: string): Promise<Address[]> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
  return rows.map(fromRow);
}

export async function findAddress(
  q: Queryable,
  userId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Address | undefined> {
  const lock = options.forUpdate ? ' FOR UPDATE' : '';
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 AND id = $2${lock}`,
    [userId, id],
  );
  return rows[0] && fromRow(rows[0]);
}

export async function insertAddress(
  tx: Queryable,
  address: { id: string; userId: string; fields: AddressFields; isDefault: boolean },
): Promise<Address> {
  const { rows } = await tx.query<Row>(
    `INSERT INTO addresses (id, user_id, label, recipient_name, line1, line2, city, region, postal_code,
       country, phone, is_default_shipping, is_default_billing)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
     RETURNING ${COLUMNS}`,
    [address.id, address.userId, ...fieldValues(address.fields), address.isDefault],
  );
  return fromRow(rows[0] as Row);
}

export async function updateAddress(
  tx: Queryable,
  userId: string,
  id: string,
  fields: AddressFields,
): Promise<Address | undefined> {
  const { rows } = await tx.query<Row>(
    `UPDATE addresses SET label = $3, recipient_name = $4, line1 = $5, line2 = $6, city = $7, region = $8,
       postal_code = $9, country = $10, phone = $11, updated_at = now()
     WHERE user_id = $1 AND id = $2
     RETURNING ${COLUMNS}`,
    [userId, id, ...fieldValues(fields)],
  );
  return rows[0] && fromRow(rows[0]);
}

export async function deleteAddress(tx: Queryable, userId: string, id: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM addresses WHERE user_id = $1 AND id = $2', [userId, id]);
  return rowCount === 1;
}

/**
 * Makes `id` the user's default of `kind`: clears the old default, then sets the new one. Two
 * statements because a unique index is checked row by row, so one UPDATE touching both rows
 * could see two defaults mid-statement. Run it in a transaction; undefined if there is no such address.
 */
export async function moveDefault(
  tx: Queryable,
  userId: string,
  id: string,
  kind: DefaultKind,
): Promise<Address | undefined> {
  const flag = FLAG_COLUMN[kind];
  await tx.query(
    `UPDATE addresses SET ${flag} = false, updated_at = now() WHERE user_id = $1 AND ${flag} AND id <> $2`,
    [userId, id],
  );
  const { rows } = await tx.query<Row>(
    `UPDATE addresses SET ${flag} = true,
       updated_at = CASE WHEN ${flag} THEN updated_at ELSE now() END
     WHERE user_id = $1 AND id = $2
     RETURNING ${COLUMNS}`,
    [userId, id],
  );
  return rows[0] && fromRow(rows[0]);
}
