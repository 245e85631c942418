// The one wildcard route behind which the route table decides everything. Bodies stay bytes: the
// gateway forwards what the client sent, whatever its type, and never parses it.
import type { App } from '@shopnow/chassis';
import type { GatewayRuntime } from '../proxy/gateway-runtime.ts';
import { createProxyHandler } from '../proxy/proxy-handler.ts';

export async function registerProxyRoute(app: App, runtime: GatewayRuntime): Promise<void> {
  const handler = createProxyHandler(runtime);
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.all('/*', { schema: { hide: true } }, handler);
    scope.all('/', { schema: { hide: true } }, handler);
  });
}
