// What every platform-wide test needs once the launcher is ready: where a loopback service of the
// sandbox listens, and products that can be bought (priced, and stocked by inventory).
import { SERVICES, servicePort } from '@shopnow/launcher';
import type { ApiCall } from './api-client.ts';
import type { LauncherSandbox } from './launcher-harness.ts';
import { waitUntil } from './wait.ts';

export interface Product {
  id: string;
  sku: string;
  name: string;
  price: { amountMinor: number; currency: string };
}

/** The base URL of a service's replica in this sandbox (loopback: not through the gateway). */
export function serviceUrl(sandbox: LauncherSandbox, name: string, replica = 0): string {
  const service = SERVICES.find((s) => s.name === name);
  if (!service) throw new Error(`the launcher's catalog has no service "${name}"`);
  const port = servicePort(
    { basePort: sandbox.basePort, gatewayPort: sandbox.gatewayPort },
    service,
    replica,
  );
  return `http://127.0.0.1:${port}`;
}

/**
 * Up to `count` priced products of the demo catalog, once inventory has stocked each of them
 * (it stocks a product as it hears of it, so the first moments after a start may miss some).
 */
export async function buyableProducts(api: ApiCall, count: number): Promise<Product[]> {
  const page = await api<{ items: Product[] }>('GET', '/api/products?limit=100');
  if (page.status !== 200) throw new Error(`products: ${page.status} ${page.text}`);
  const products = page.body.items.filter((p) => p.price.amountMinor > 0).slice(0, count);
  const query = products.map((p) => `sku=${encodeURIComponent(p.sku)}`).join('&');
  await waitUntil(
    'the demo stock',
    () => api<{ unknown: string[] }>('GET', `/api/inventory/availability?${query}`),
    (r) => r.status === 200 && r.body.unknown.length === 0,
    { timeoutMs: 30_000 },
  );
  return products;
}
