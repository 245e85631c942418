// The product a back-in-stock alert is for, from the product service (GET /products/:id, which
// answers for products on sale only): its SKU and name are kept with the alert. `undefined` when
// the catalog has no such product on sale; a product service that cannot answer is an
// UpstreamError, and one that answers something else an AppError: both a 503 (the alert is not
// made on a guess).
import { AppError, commonErrors, type ServiceClient } from '@shopnow/chassis';

export interface CatalogProduct {
  productId: string;
  sku: string;
  name: string;
}

export interface ProductSource {
  find(productId: string): Promise<CatalogProduct | undefined>;
}

export function catalogProducts(client: ServiceClient): ProductSource {
  return {
    async find(productId) {
      const res = await client.request<{ id?: unknown; sku?: unknown; name?: unknown }>({
        method: 'GET',
        path: `/products/${encodeURIComponent(productId)}`,
      });
      if (res.status === 404) return undefined;
      const { sku, name } = res.body ?? {};
      if (res.status !== 200 || typeof sku !== 'string' || typeof name !== 'string') {
        throw new AppError(commonErrors.unavailable, `The product service answered ${res.status}`);
      }
      return { productId, sku, name };
    },
  };
}
