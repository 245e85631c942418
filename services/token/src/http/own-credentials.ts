// Routes that authenticate with their own credential (a refresh token, an API key, client
// credentials) are reached without an access token, often right after one expired. The chassis
// refuses any request whose bearer token is invalid, so on these routes the Authorization header
// is taken aside before it runs: a Basic header is kept for /oauth/token, anything else dropped.
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates the caller itself; the chassis's bearer check is skipped. */
    ownCredentials?: boolean;
  }
  interface FastifyRequest {
    /** The Authorization header of an ownCredentials route (e.g. `Basic …`). */
    ownAuthorization: string | undefined;
  }
}

/** Register BEFORE identity.register(app), so this hook runs first. */
export function registerOwnCredentials(app: FastifyInstance): void {
  app.decorateRequest('ownAuthorization', undefined);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config.ownCredentials !== true) return;
    request.ownAuthorization = request.headers.authorization;
    delete request.headers.authorization;
  });
}
