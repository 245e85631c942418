// Keyset pages: one row more than asked tells whether there is a next page.
import { decodeCursor, encodeCursor } from '../domain/cursor.ts';
import { invalidCursor } from '../errors.ts';

/** The position a cursor names; a cursor this service did not make is a 400. */
export function afterCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const after = decodeCursor(cursor);
  if (after === undefined) throw invalidCursor();
  return after;
}

export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null };
}
