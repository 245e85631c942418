import swagger from '@fastify/swagger';
import type { App } from './app.ts';

export interface OpenApiOptions {
  service: string;
  version: string;
  description?: string | undefined;
}

/**
 * Collects every route's TypeBox schema into an OpenAPI 3.1 document served at `/openapi.json`.
 * Must be registered before the service's routes (createApp does), since it records routes as
 * they are added. Routes with `schema.hide` (probes, metrics) stay out of the document.
 */
export async function registerOpenApi(app: App, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.service,
        version: options.version,
        ...(options.description === undefined ? {} : { description: options.description }),
      },
      // Every ShopNow API takes the token service's access tokens; routes name it in `security`.
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  app.get('/openapi.json', { logLevel: 'warn', schema: { hide: true } }, async () => app.swagger());
}
