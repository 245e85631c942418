// Opaque keyset cursor of the admin stock list (ordered by SKU): base64url of the last SKU seen.
import { isSku } from './sku.ts';

export function encodeSkuCursor(sku: string): string {
  return Buffer.from(sku, 'utf8').toString('base64url');
}

/** The SKU inside a cursor, or undefined when the text is not one of ours (callers answer 400). */
export function decodeSkuCursor(text: string): string | undefined {
  if (text.length === 0 || text.length > 128 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const sku = Buffer.from(text, 'base64url').toString('utf8');
  return isSku(sku) && sku === sku.toUpperCase() ? sku : undefined;
}
