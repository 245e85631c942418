// Browsers post card data straight to the provider from the shop's pages, another origin, as
// with Stripe.js: POST /v1/tokens answers any origin (the publishable key is public and can do
// nothing but make tokens), and its preflight is answered without a key (browsers send none).
import type { App } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';

const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** onRequest hook for the tokenization scope: even an error answer is readable by the page. */
export async function allowAnyOrigin(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('access-control-allow-origin', '*');
}

export function registerTokenPreflight(app: App): void {
  app.options('/v1/tokens', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .send(),
  );
}
