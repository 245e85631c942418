// The key a list's cursor carries, or the 400 a cursor this service never made gets.
import { AppError } from '@shopnow/chassis';
import { decodeShipmentCursor, type ShipmentKey } from '../domain/cursor.ts';
import { shippingErrors } from '../errors.ts';

export function afterCursor(cursor: string | undefined): ShipmentKey | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeShipmentCursor(cursor);
  if (key === undefined)
    throw new AppError(shippingErrors['shipping.invalid_cursor'], 'cursor is not one this list made');
  return key;
}
