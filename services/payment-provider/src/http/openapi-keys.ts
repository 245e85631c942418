// The provider's own security schemes in its OpenAPI document. The chassis declares ShopNow's
// `bearerAuth` (access tokens), which this outside processor does not take; its routes name
// `secretKey` or `publishableKey` instead. @fastify/swagger resolves a route's `security` while
// it builds the document, so each such route's transform adds the two schemes first.
import type { App } from '@shopnow/chassis';

const SCHEMES = {
  secretKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'PROVIDER_SECRET_KEY: the merchant server (charges, refunds, lists, token lookups, sandbox)',
  },
  publishableKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'PROVIDER_PUBLISHABLE_KEY: browsers, for tokenization only',
  },
};

interface TransformInput {
  schema: unknown;
  url: string;
  openapiObject: { components?: { securitySchemes?: Record<string, unknown> } };
}

function withKeySchemes({ schema, url, openapiObject }: TransformInput) {
  openapiObject.components ??= {};
  openapiObject.components.securitySchemes = { ...openapiObject.components.securitySchemes, ...SCHEMES };
  return { schema, url };
}

/** Call before the routes are added: every route that names a security requirement gets the schemes. */
export function declareKeySchemes(app: App): void {
  app.addHook('onRoute', (route) => {
    if ((route.schema as { security?: unknown } | undefined)?.security === undefined) return;
    route.config = { ...route.config, swaggerTransform: withKeySchemes } as typeof route.config;
  });
}
