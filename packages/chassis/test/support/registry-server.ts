// A small but real registry speaking the launcher's HTTP API (see spec), for discovery tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryInstance {
  id: string;
  url: string;
  ttlMs: number;
  registeredAt: string;
  lastSeen: string;
}

export interface TestRegistry {
  url: string;
  services: Map<string, Map<string, RegistryInstance>>;
  log: string[];
  /** Makes every request answer this status (e.g. 503) until set back to undefined. */
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startRegistry(): Promise<TestRegistry> {
  const registry: TestRegistry = {
    url: '',
    services: new Map(),
    log: [],
    failWith: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    registry.log.push(`${req.method} ${req.url}`);
    if (registry.failWith) {
      res.writeHead(registry.failWith).end();
      return;
    }
    const [, root, services, service, instances, id] = (req.url ?? '').split('/');
    if (root !== 'registry' || services !== 'services' || !service) {
      res.writeHead(404).end();
      return;
    }
    const known = registry.services.get(service) ?? new Map<string, RegistryInstance>();
    registry.services.set(service, known);
    if (req.method === 'GET' && !instances) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ service, instances: [...known.values()] }));
    } else if (req.method === 'PUT' && instances === 'instances' && id) {
      const { url, ttlMs } = JSON.parse(body) as { url: string; ttlMs: number };
      const now = new Date().toISOString();
      known.set(id, { id, url, ttlMs, registeredAt: known.get(id)?.registeredAt ?? now, lastSeen: now });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else if (req.method === 'DELETE' && instances === 'instances' && id) {
      known.delete(id);
      res.writeHead(204).end();
    } else {
      res.writeHead(405).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return registry;
}
