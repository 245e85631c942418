// Prices and names come from the product service, never from the client: GET /products/:id answers
// active products only (404 for an unknown or inactive one). One call per line, side by side.
import type { ServiceClient } from '@shopnow/chassis';
import { unusable } from './answers.ts';

export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  price: { amountMinor: number; currency: string };
  active: boolean;
}

/** The products on sale among `ids`; an id missing from the map is unknown or not on sale. */
export async function productsOnSale(
  client: ServiceClient,
  ids: readonly string[],
): Promise<Map<string, CatalogProduct>> {
  const found = new Map<string, CatalogProduct>();
  await Promise.all(
    ids.map(async (id) => {
      const res = await client.request<CatalogProduct>({ method: 'GET', path: `/products/${id}` });
      if (res.status === 404) return;
      if (res.status !== 200) throw unusable('product', res);
      if (res.body.active) found.set(id, res.body);
    }),
  );
  return found;
}
