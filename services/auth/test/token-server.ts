// A stand-in for the token service on a real port: POST /sessions checks the caller is the auth
// service (a real service token, verified like every service verifies tokens) and mints a real
// access token with the test issuer; the JWKS, revocation list and client-credentials endpoints
// let a real auth process (process.test.ts) wire itself as in production. The real
// cross-service path is the e2e suite's.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createApp,
  createIdentity,
  JWKS_PATH,
  REVOCATIONS_PATH,
  requireService,
  SERVICE_TOKEN_PATH,
} from '@shopnow/chassis';
import type { TestTokenIssuer } from '@shopnow/testkit';
import type { FastifyInstance } from 'fastify';

/** auth's client secret at this stand-in. */
export const SERVICE_SECRET = 'auth-test-client-secret-0123456789';

export interface TokenServer {
  url: string;
  calls: Array<{ userId: string; device: { userAgent: string; ip: string } }>;
  close(): Promise<void>;
}

export async function startTokenServer(issuer: TestTokenIssuer): Promise<TokenServer> {
  const app = await createApp({ service: 'token', version: '0.0.0', logLevel: 'silent' });
  const calls: TokenServer['calls'] = [];
  // Bearer-verified routes in their own scope: /oauth/token takes Basic client credentials.
  await app.register(async (scope) => {
    createIdentity({
      service: 'token',
      config: { TOKEN_ISSUER: issuer.issuer, TOKEN_AUDIENCE: issuer.audience },
      keys: issuer.keys,
      revocations: issuer.revocations,
    }).register(scope);
    registerBearerRoutes(scope, issuer, calls);
  });
  app.get(JWKS_PATH, async () => issuer.jwks());
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.post(SERVICE_TOKEN_PATH, async (request, reply) => {
    const expected = `Basic ${Buffer.from(`auth:${SERVICE_SECRET}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return reply.code(401).send({ error: 'invalid_client' });
    return { access_token: await issuer.service('auth'), token_type: 'Bearer', expires_in: 900 };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, calls, close: () => app.close() };
}

function registerBearerRoutes(
  scope: FastifyInstance,
  issuer: TestTokenIssuer,
  calls: TokenServer['calls'],
): void {
  scope.post('/sessions', { preHandler: requireService('auth') }, async (request, reply) => {
    const body = request.body as TokenServer['calls'][number];
    calls.push(body);
    const sessionId = randomUUID();
    reply.code(201);
    return {
      accessToken: await issuer.user(body.userId, { sessionId }),
      refreshToken: randomBytes(32).toString('base64url'),
      tokenType: 'Bearer',
      expiresIn: 900,
      sessionId,
    };
  });
  scope.get(REVOCATIONS_PATH, { preHandler: requireService() }, async () => ({ entries: [], lastSeq: 0 }));
}
