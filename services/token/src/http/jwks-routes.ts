// The public keys every verifier fetches (RFC 7517). Cacheable for a minute: a new key is fetched
// anyway when a token names a kid the verifier does not know.
import { type App, JWKS_PATH } from '@shopnow/chassis';
import type { Static } from 'typebox';
import type { RouteDeps } from './deps.ts';
import { JwksResponse } from './schemas.ts';

export function registerJwksRoutes(app: App, { keys }: RouteDeps): void {
  app.get(
    JWKS_PATH,
    {
      logLevel: 'warn',
      schema: { summary: 'Public signing keys (JWKS)', tags: ['keys'], response: { 200: JwksResponse } },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=60').send(keys.jwks() as Static<typeof JwksResponse>),
  );
}
