// Everything the inventory service may refuse, with stable codes (see README).
import { AppError, defineErrors } from '@shopnow/chassis';

export const inventoryErrors = defineErrors({
  'inventory.sku_not_found': { status: 404, title: 'No stock is kept for this SKU' },
  'inventory.reservation_not_found': { status: 404, title: 'No reservation for this order' },
  'inventory.insufficient_stock': { status: 409, title: 'Not enough available stock for this change' },
  'inventory.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
});

export function skuNotFound(sku: string): AppError {
  return new AppError(inventoryErrors['inventory.sku_not_found'], `No stock is kept for SKU ${sku}`);
}
