// Opaque list cursors: base64url of the last row's ledger sequence number. Listing walks the
// ledger newest first by that number, so a page boundary never skips or repeats a row.

const CURSOR = /^[A-Za-z0-9_-]{1,24}$/;

export function encodeCursor(seq: string): string {
  return Buffer.from(`s:${seq}`, 'utf8').toString('base64url');
}

/** The sequence number inside a cursor, or undefined when the text is not one of ours (→ 400). */
export function decodeCursor(text: string): string | undefined {
  if (!CURSOR.test(text)) return undefined;
  const match = /^s:([1-9]\d{0,17})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return match?.[1];
}
