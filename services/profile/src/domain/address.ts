// A postal address as the profile stores it. Text is trimmed; optional text left empty is null;
// the country must be an ISO 3166-1 alpha-2 code, the postal code must fit the country, the
// phone number must look international. Every rule names the field it refuses.
import { isCountryCode } from './countries.ts';
import type { Checked, FieldProblem } from './field-problem.ts';
import { MAX_PHONE_LENGTH, normalisePhone } from './phone.ts';
import {
  isPostalCodeFor,
  MAX_POSTAL_CODE_LENGTH,
  normalisePostalCode,
  postalCodeRequired,
} from './postal-codes.ts';

/** A user keeps at most this many addresses (an address book, not a log of deliveries). */
export const MAX_ADDRESSES_PER_USER = 20;

export const ADDRESS_LIMITS = {
  label: 50,
  recipientName: 200,
  line1: 200,
  line2: 200,
  city: 100,
  region: 100,
  postalCode: MAX_POSTAL_CODE_LENGTH,
  phone: MAX_PHONE_LENGTH,
} as const;

export interface AddressFields {
  label: string | null;
  recipientName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  country: string;
  phone: string | null;
}

/** What a client sends to create an address; optional fields may be absent or null. */
export interface AddressInput {
  label?: string | null | undefined;
  recipientName: string;
  line1: string;
  line2?: string | null | undefined;
  city: string;
  region?: string | null | undefined;
  postalCode?: string | null | undefined;
  country: string;
  phone?: string | null | undefined;
}

export type AddressChanges = Partial<AddressInput>;

type TextField = keyof typeof ADDRESS_LIMITS;

export function prepareAddress(input: AddressInput): Checked<AddressFields> {
  const problems: FieldProblem[] = [];
  const required = (field: 'recipientName' | 'line1' | 'city'): string => {
    const value = text(field, input[field], problems) ?? '';
    if (value === '') problems.push({ field: `/${field}`, message: 'must not be blank' });
    return value;
  };
  const recipientName = required('recipientName');
  const line1 = required('line1');
  const city = required('city');
  const label = text('label', input.label, problems);
  const line2 = text('line2', input.line2, problems);
  const region = text('region', input.region, problems);

  const country = input.country.trim().toUpperCase();
  if (!isCountryCode(country)) {
    problems.push({ field: '/country', message: 'is not an ISO 3166-1 alpha-2 country code' });
  }
  const postalCode = postalCodeOf(input.postalCode, country, problems);
  const phone = phoneOf(input.phone, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: { label, recipientName, line1, line2, city, region, postalCode, country, phone },
  };
}

/** Applies a partial change (null clears an optional field) and checks the address as a whole. */
export function changeAddress(current: AddressFields, changes: AddressChanges): Checked<AddressFields> {
  const merged: AddressInput = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return prepareAddress(merged);
}

/** Trimmed text within its limit; empty or absent → null. */
function text(field: TextField, value: string | null | undefined, problems: FieldProblem[]): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > ADDRESS_LIMITS[field]) {
    problems.push({ field: `/${field}`, message: `must be at most ${ADDRESS_LIMITS[field]} characters` });
  }
  return trimmed === '' ? null : trimmed;
}

function postalCodeOf(
  value: string | null | undefined,
  country: string,
  problems: FieldProblem[],
): string | null {
  const code = value === null || value === undefined ? '' : normalisePostalCode(value);
  if (code === '') {
    if (postalCodeRequired(country))
      problems.push({ field: '/postalCode', message: `is required for ${country}` });
    return null;
  }
  if (!isPostalCodeFor(country, code)) {
    const where = isCountryCode(country) ? ` for ${country}` : '';
    problems.push({ field: '/postalCode', message: `is not a valid postal code${where}` });
  }
  return code;
}

function phoneOf(value: string | null | undefined, problems: FieldProblem[]): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const phone = normalisePhone(value.trim());
  if (phone === undefined) {
    problems.push({
      field: '/phone',
      message: 'must be an international number: +, country code, 7 to 15 digits in all',
    });
    return null;
  }
  return phone;
}
