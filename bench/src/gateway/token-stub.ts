// The token service as the gateway sees it on its request path: its JWKS (fetched once, then
// cached by the gateway) and its revocation feed (polled every 2 s), answered by a tiny node:http
// server with the keys of a TestTokenIssuer that signs the benchmark's token.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestTokenIssuer } from '@shopnow/testkit';
import type { Teardown } from '../teardown.ts';

export interface TokenStub {
  url: string;
  issuer: TestTokenIssuer;
  /** Requests served, by path (without the query). */
  served: Map<string, number>;
}

export async function startTokenStub(teardown: Teardown): Promise<TokenStub> {
  const issuer = await TestTokenIssuer.create();
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    served.set(path, (served.get(path) ?? 0) + 1);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/jwks.json') return json(200, issuer.jwks());
    if (path === '/revocations') return json(200, { entries: [], lastSeq: 0 });
    if (path === '/health/ready') return json(200, { status: 'ready' });
    return json(404, { type: 'about:blank', title: 'Not Found', status: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  teardown.add(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, issuer, served };
}
