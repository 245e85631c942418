// SKUs are stock-keeping codes shared with inventory: upper-case letters, digits, dashes.

export const SKU_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]{1,63}$';

/** SKUs compare case-insensitively, so they are stored upper-case: "aud-001" → "AUD-001". */
export function normaliseSku(sku: string): string {
  return sku.trim().toUpperCase();
}
