// An amount of money as every contract carries it: integer minor units (cents) and an ISO 4217
// currency code, so no event ever holds a floating-point price.
import { type Static, Type } from 'typebox';

export const MoneySchema = Type.Object(
  { amountMinor: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) },
  { additionalProperties: false },
);
export type Money = Static<typeof MoneySchema>;
