// Tracking numbers: "SN" and 14 characters of Crockford's base32 (no I, L, O, U: nothing to misread
// on a label), from 70 random bits. Random, so nobody derives one from an order id or guesses a
// neighbour's; the database's unique index catches the improbable repeat.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_LENGTH = 16;
export const TRACKING_PATTERN = '^SN[0-9A-HJKMNP-TV-Z]{14}$';

/** A tracking number from `random` (at least 14 bytes; each byte picks one character). */
export function trackingNumber(random: Uint8Array): string {
  if (random.length < 14) throw new Error('trackingNumber needs 14 random bytes');
  let out = 'SN';
  for (let i = 0; i < 14; i++) out += ALPHABET[(random[i] as number) & 31];
  return out;
}

/** A tracking number as typed by a person: upper case, spaces and dashes dropped. */
export function normalizeTrackingNumber(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}
