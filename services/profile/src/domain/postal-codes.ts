// Postal codes: a precise pattern for the countries we ship to most, a generic shape for the rest.
// Input is normalised first (trimmed, upper-cased, inner whitespace collapsed to one space), so
// "sw1a 1aa" is stored as "SW1A 1AA".
export const MAX_POSTAL_CODE_LENGTH = 20;

const BY_COUNTRY: Readonly<Record<string, RegExp>> = {
  US: /^[0-9]{5}(-[0-9]{4})?$/,
  // Outward code (area, district) then inward code; GIR 0AA is the one historic exception.
  GB: /^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$/,
  DE: /^[0-9]{5}$/,
  FR: /^[0-9]{5}$/,
  // Four digits not starting with 0, then two letters.
  NL: /^[1-9][0-9]{3} ?[A-Z]{2}$/,
  // Letters D, F, I, O, Q, U never appear; W and Z never first.
  CA: /^[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]$/,
  AT: /^[0-9]{4}$/,
  BE: /^[0-9]{4}$/,
  CH: /^[0-9]{4}$/,
  ES: /^[0-9]{5}$/,
  IT: /^[0-9]{5}$/,
  PL: /^[0-9]{2}-[0-9]{3}$/,
  SE: /^[0-9]{3} ?[0-9]{2}$/,
};

// Letters and digits, with single spaces or dashes between them.
const GENERIC = /^[A-Z0-9]+([ -][A-Z0-9]+)*$/;

export function normalisePostalCode(input: string): string {
  return input.trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Countries with a precise pattern also require a postal code; elsewhere it may be omitted. */
export function postalCodeRequired(country: string): boolean {
  return Object.hasOwn(BY_COUNTRY, country);
}

/** Whether a normalised postal code fits `country`. */
export function isPostalCodeFor(country: string, code: string): boolean {
  if (code.length === 0 || code.length > MAX_POSTAL_CODE_LENGTH) return false;
  const pattern = Object.hasOwn(BY_COUNTRY, country) ? BY_COUNTRY[country] : GENERIC;
  return pattern?.test(code) ?? false;
}
