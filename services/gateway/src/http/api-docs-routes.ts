// The public API's documentation: one OpenAPI 3.1 document merged from the services' own
// documents through the route table (only what the gateway exposes, under its public paths),
// and an interactive page over it.
import type { App } from '@shopnow/chassis';
import { registerDocsPage } from '../openapi/docs-page.ts';
import { OpenApiSource } from '../openapi/openapi-source.ts';
import type { OpenApiDocument } from '../openapi/openapi-types.ts';
import type { GatewayRuntime } from '../proxy/gateway-runtime.ts';
import { readBody } from '../upstream/upstream-set.ts';
import { ADMIN_PREFIX } from './admin-routes.ts';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

export async function registerApiDocs(app: App, rt: GatewayRuntime): Promise<void> {
  let source: OpenApiSource | undefined;
  // Built on first use: the gateway's own admin routes are in its swagger document by then.
  const documents = (): OpenApiSource => {
    source ??= new OpenApiSource({
      fetchDocument: (service, signal) => fetchServiceDocument(rt, service, signal),
      logger: app.log,
      gatewayPaths: ownAdminPaths(app),
    });
    return source;
  };
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => {
    const table = rt.routes.current();
    return documents().document({
      routes: table.file.routes,
      upstreams: table.upstreams,
      version: table.version,
    });
  });
  await registerDocsPage(app, { specUrl: OPENAPI_PATH, prefix: DOCS_PATH });
}

async function fetchServiceDocument(
  rt: GatewayRuntime,
  service: string,
  signal: AbortSignal,
): Promise<OpenApiDocument> {
  const upstream = [...rt.routes.current().upstreams].find(([, spec]) => spec.service === service)?.[0];
  if (upstream === undefined) throw new Error(`no upstream serves ${service}`);
  const response = await rt.upstreams.forward(upstream, {
    method: 'GET',
    path: '/openapi.json',
    headers: { accept: 'application/json' },
    idempotent: true,
    signal,
  });
  const text = (await readBody(response.body)).toString('utf8');
  if (response.status !== 200)
    throw new Error(`${service} answered ${response.status} for its OpenAPI document`);
  return JSON.parse(text) as OpenApiDocument;
}

function ownAdminPaths(app: App): Record<string, unknown> {
  const paths = (app.swagger() as { paths?: Record<string, unknown> }).paths ?? {};
  return Object.fromEntries(Object.entries(paths).filter(([path]) => path.startsWith(ADMIN_PREFIX)));
}
