// A product-like HTTP server for the cart's tests: GET /products/:id as the product service
// answers it (200 with the catalog body, 404 for unknown or inactive products), over a real
// socket, so the cart reaches it through the chassis client exactly as in production. It can be
// stopped and started again on the same port to stand for an outage.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestProduct {
  id: string;
  sku: string;
  name: string;
  price: { amountMinor: number; currency: string };
  active: boolean;
}

export interface ProductServer {
  url: string;
  products: Map<string, TestProduct>;
  /** Requests answered so far. */
  calls: number;
  /** Answer every request with this status instead (e.g. 500); undefined: normal. */
  failWith: number | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startProductServer(): Promise<ProductServer> {
  let server: Server | undefined;
  let port = 0;
  const state: ProductServer = {
    url: '',
    products: new Map(),
    calls: 0,
    failWith: undefined,
    async stop() {
      if (server === undefined) return;
      const closing = server;
      server = undefined;
      closing.closeAllConnections();
      closing.close();
      await once(closing, 'close');
    },
    async start() {
      if (server !== undefined) return;
      server = createServer((req, res) => {
        state.calls++;
        const match = /^\/products\/([^/?]+)$/.exec(req.url ?? '');
        if (state.failWith !== undefined) return send(res, state.failWith, { status: state.failWith });
        const product = match ? state.products.get(decodeURIComponent(match[1] as string)) : undefined;
        if (product === undefined || !product.active) {
          return send(res, 404, { status: 404, code: 'product.not_found' }, 'application/problem+json');
        }
        send(res, 200, {
          ...product,
          slug: product.sku.toLowerCase(),
          description: '',
          category: 'test',
          images: [],
          attributes: {},
          rating: { average: 0, count: 0 },
          createdAt: new Date(0).toISOString(),
          updatedAt: new Date(0).toISOString(),
        });
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
      state.url = `http://127.0.0.1:${port}`;
    },
  };
  await state.start();
  return state;
}

function send(
  res: import('node:http').ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
): void {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}
