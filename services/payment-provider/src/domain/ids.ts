// Object ids as a card processor hands them out: a type prefix and 24 random hex digits, so an
// id says what it names and cannot be guessed.
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = { token: 'tok', charge: 'ch', refund: 're' } as const;
export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBytes(12).toString('hex')}`;
}

/** The JSON-schema pattern of an id of this kind. */
export function idPattern(kind: IdKind): string {
  return `^${ID_PREFIXES[kind]}_[0-9a-f]{24}$`;
}
