// SKUs as the catalog stores them: upper-case letters, digits, dashes (compared case-insensitively).

export const SKU_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]{1,63}$';
const SKU = new RegExp(SKU_PATTERN);

export function normaliseSku(sku: string): string {
  return sku.trim().toUpperCase();
}

export function isSku(text: string): boolean {
  return SKU.test(text);
}
