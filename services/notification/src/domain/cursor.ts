// Opaque keyset cursor of the lists (newest first): base64url of the last row's creation time and id.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The position inside a cursor, or undefined when the text is not one of ours (callers answer 400). */
export function decodeCursor(text: string): Cursor | undefined {
  if (text.length === 0 || text.length > 128 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (at === undefined || id === undefined || rest.length > 0 || !UUID.test(id)) return undefined;
  const createdAt = new Date(at);
  return Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at ? undefined : { createdAt, id };
}
