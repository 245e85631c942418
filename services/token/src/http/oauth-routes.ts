// Service credentials: OAuth 2.0 client credentials (RFC 6749 §4.4) with HTTP Basic client
// authentication (§2.3.1). The token's `sub` is `service:<client id>`.
import { type App, AppError, commonErrors, SERVICE_TOKEN_PATH } from '@shopnow/chassis';
import { SERVICE_SUBJECT_PREFIX } from '@shopnow/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient } from '../domain/service-clients.ts';
import { tokenErrors } from '../errors.ts';
import type { RouteDeps } from './deps.ts';
import { ClientCredentialsBody, ClientCredentialsToken } from './schemas.ts';

const FORM = 'application/x-www-form-urlencoded';

export function registerOAuthRoutes(app: App, deps: RouteDeps): void {
  // Encapsulated: only this route takes form bodies; every other route stays JSON-only.
  app.register(async (oauth: App) => {
    oauth.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseForm(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });

    oauth.post(
      SERVICE_TOKEN_PATH,
      {
        config: { ownCredentials: true },
        schema: {
          summary: "A service's own access token (client credentials, HTTP Basic)",
          tags: ['internal'],
          consumes: [FORM],
          body: ClientCredentialsBody,
          response: { 200: ClientCredentialsToken },
        },
      },
      async (request, reply) => {
        const client = authenticate(request, reply, deps);
        if (request.body.grant_type !== 'client_credentials') {
          throw new AppError(tokenErrors['token.unsupported_grant_type'], undefined, {
            error: 'unsupported_grant_type',
          });
        }
        const { token, expiresIn } = await deps.minter.mint({
          sub: `${SERVICE_SUBJECT_PREFIX}${client}`,
          roles: [],
          tier: 'enterprise',
        });
        return reply
          .header('cache-control', 'no-store')
          .send({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
      },
    );
  });
}

function authenticate(request: FastifyRequest, reply: FastifyReply, deps: RouteDeps): string {
  const match = /^Basic[ \t]+([A-Za-z0-9+/]+=*)[ \t]*$/i.exec(request.ownAuthorization ?? '');
  const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const client =
    colon < 0
      ? undefined
      : authenticateClient(
          deps.serviceClients,
          formDecode(decoded.slice(0, colon)),
          formDecode(decoded.slice(colon + 1)),
        );
  if (client !== undefined) return client;
  reply.header('www-authenticate', 'Basic realm="shopnow-token"');
  throw new AppError(tokenErrors['token.invalid_client'], undefined, { error: 'invalid_client' });
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding; a bad escape matches nothing. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return '';
  }
}

/** A form body as an object; a repeated parameter is refused (RFC 6749 §3.1). */
function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(out, key)) {
      throw new AppError(commonErrors.bad_request, `parameter ${key} is repeated`, {
        error: 'invalid_request',
      });
    }
    out[key] = value;
  }
  return out;
}
