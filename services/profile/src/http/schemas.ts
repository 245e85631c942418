// Request and response schemas (TypeBox → JSON Schema): shape, types and lengths are checked
// here (400, naming the field); the rules that need the bundled lists or several fields at once
// (country, postal code per country, phone, locale, currency) live in src/domain (422).
// Every object refuses unknown properties.
import { Type } from 'typebox';
import { ADDRESS_LIMITS } from '../domain/address.ts';
import { LOCALE_PATTERN, MAX_LOCALE_LENGTH } from '../domain/locale.ts';
import { CHANNELS } from '../domain/preferences.ts';
import { ME } from './access.ts';

const strict = { additionalProperties: false } as const;

// Postgres text cannot hold U+0000: refuse it here, naming the field, not as a 500.
const NO_NUL = '^[^\\u0000]*$';
const Text = (maxLength: number) => Type.String({ maxLength, pattern: NO_NUL });
const RequiredText = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: NO_NUL });
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Text(maxLength), Type.Null()]));

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });

// ---- params ----
const UserIdParam = Type.Union([Uuid, Type.Literal(ME)], {
  description: 'A user id, or `me` for the caller',
});
export const ProfileParams = Type.Object({ userId: UserIdParam }, strict);
export const AddressParams = Type.Object({ userId: UserIdParam, addressId: Uuid }, strict);

/** For routes that take no query parameters: a typo is refused rather than ignored. */
export const NoQuery = Type.Object({}, strict);

export const WriteHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9._:~+/=-]{1,255}$',
      description: 'Repeat a write safely: same key, same result',
    }),
  ),
});

// ---- preferences ----
const Channels = Type.Array(Type.Enum(CHANNELS), { uniqueItems: true, maxItems: CHANNELS.length });
const Locale = Type.String({
  maxLength: MAX_LOCALE_LENGTH,
  pattern: LOCALE_PATTERN,
  description: 'BCP 47, e.g. en-GB',
});
const CurrencyCode = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217, one of the supported codes',
});

const preferenceFields = {
  marketingOptIn: Type.Boolean(),
  channels: Channels,
  locale: Locale,
  currency: CurrencyCode,
};

export const ReplacePreferencesBody = Type.Object(preferenceFields, strict);
export const ChangePreferencesBody = Type.Object(
  {
    marketingOptIn: Type.Optional(preferenceFields.marketingOptIn),
    channels: Type.Optional(preferenceFields.channels),
    locale: Type.Optional(preferenceFields.locale),
    currency: Type.Optional(preferenceFields.currency),
  },
  { ...strict, minProperties: 1 },
);

export const PreferencesResponse = Type.Object({
  userId: Uuid,
  marketingOptIn: Type.Boolean(),
  channels: Type.Array(Type.String()),
  locale: Type.String(),
  currency: Type.String(),
  updatedAt: Type.Union([Timestamp, Type.Null()], { description: 'null: defaults, never saved' }),
});

// ---- addresses ----
const L = ADDRESS_LIMITS;
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2, e.g. GB' });

export const CreateAddressBody = Type.Object(
  {
    label: OptionalText(L.label),
    recipientName: RequiredText(L.recipientName),
    line1: RequiredText(L.line1),
    line2: OptionalText(L.line2),
    city: RequiredText(L.city),
    region: OptionalText(L.region),
    postalCode: OptionalText(L.postalCode),
    country: Country,
    phone: OptionalText(L.phone),
  },
  strict,
);

export const ChangeAddressBody = Type.Object(
  {
    label: OptionalText(L.label),
    recipientName: Type.Optional(RequiredText(L.recipientName)),
    line1: Type.Optional(RequiredText(L.line1)),
    line2: OptionalText(L.line2),
    city: Type.Optional(RequiredText(L.city)),
    region: OptionalText(L.region),
    postalCode: OptionalText(L.postalCode),
    country: Type.Optional(Country),
    phone: OptionalText(L.phone),
  },
  { ...strict, minProperties: 1 },
);

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const AddressResponse = Type.Object({
  id: Uuid,
  userId: Uuid,
  label: NullableString,
  recipientName: Type.String(),
  line1: Type.String(),
  line2: NullableString,
  city: Type.String(),
  region: NullableString,
  postalCode: NullableString,
  country: Type.String(),
  phone: NullableString,
  isDefaultShipping: Type.Boolean(),
  isDefaultBilling: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const AddressList = Type.Object({ items: Type.Array(AddressResponse) });
