// The common-passwords list of zxcvbn-ts (about 49 000 entries from breach corpora), loaded once
// into a Set; the password policy asks it about lower-cased candidates.
import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | undefined;

export function isCommonPassword(lowerCased: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  return common.has(lowerCased);
}
