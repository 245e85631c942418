// Phone numbers in an E.164-like form: "+", a country code that does not start with 0, and
// 7 to 15 digits in all. People type separators, so spaces, dots, dashes and parentheses are
// accepted and dropped; the stored number is the bare "+4420…" form.
export const MAX_PHONE_LENGTH = 32;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const SEPARATORS = /[\s().-]/g;

/** The number as stored, or undefined when it does not look like an international number. */
export function normalisePhone(input: string): string | undefined {
  if (input.length > MAX_PHONE_LENGTH) return undefined;
  const bare = input.replace(SEPARATORS, '');
  return E164.test(bare) ? bare : undefined;
}
