// API keys: long-lived credentials for a premium user's scripts. The key is shown once; an
// exchange turns it into a 15-minute access token carrying the key's scopes.
import { randomUUID } from 'node:crypto';
import { type App, AppError, hasRole, userOf, withTransaction } from '@shopnow/chassis';
import { MAX_API_KEYS_PER_USER, mayCreateApiKeys } from '../domain/api-key-policy.ts';
import { digest, newApiKey } from '../domain/secrets.ts';
import { tokenErrors } from '../errors.ts';
import {
  type ApiKeyRow,
  countActiveApiKeys,
  insertApiKey,
  listActiveApiKeys,
  revokeApiKey,
  useApiKey,
} from '../store/api-keys.ts';
import { findSubject } from '../store/subjects.ts';
import type { RouteDeps } from './deps.ts';
import { requireSessionUser } from './guards.ts';
import {
  ApiKeyList,
  CreateApiKeyBody,
  CreatedApiKey,
  ExchangedToken,
  ExchangeHeaders,
  IdParams,
} from './schemas.ts';

const TAGS = ['api-keys'];
// Advisory lock namespace for "one user's API keys", so the per-user limit holds under races.
const KEYS_LOCK_NAMESPACE = 7_391_004;

export function registerApiKeyRoutes(app: App, deps: RouteDeps): void {
  const { db, minter } = deps;

  app.post(
    '/api-keys',
    {
      onRequest: requireSessionUser,
      schema: {
        summary: 'Create an API key (premium or enterprise tier, or admin); the key is shown once',
        tags: TAGS,
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const key = newApiKey();
      const created = await withTransaction(db, async (tx) => {
        // The projection knows a tier change the token (up to 15 min old) may not.
        const subject = await findSubject(tx, user.userId);
        if (!mayCreateApiKeys({ tier: subject.tier, roles: user.roles })) {
          throw new AppError(tokenErrors['token.api_keys_not_allowed']);
        }
        await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [KEYS_LOCK_NAMESPACE, user.userId]);
        if ((await countActiveApiKeys(tx, user.userId)) >= MAX_API_KEYS_PER_USER) {
          throw new AppError(
            tokenErrors['token.api_key_limit'],
            `At most ${MAX_API_KEYS_PER_USER} active keys`,
          );
        }
        return insertApiKey(tx, {
          id: randomUUID(),
          userId: user.userId,
          name: request.body.name,
          scopes: request.body.scopes,
          tier: subject.tier,
          keyHash: digest(key),
          createdAt: new Date(),
        });
      });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...view(created), key });
    },
  );

  app.get(
    '/api-keys',
    {
      onRequest: requireSessionUser,
      schema: {
        summary: 'My active API keys (never the keys themselves)',
        tags: TAGS,
        response: { 200: ApiKeyList },
      },
    },
    async (request) => {
      const keys = await listActiveApiKeys(db, userOf(request).userId);
      return {
        items: keys.map((key) => ({ ...view(key), lastUsedAt: key.lastUsedAt?.toISOString() ?? null })),
      };
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      onRequest: requireSessionUser,
      schema: { summary: 'Revoke an API key (mine; admins: anyone’s)', tags: TAGS, params: IdParams },
    },
    async (request, reply) => {
      const user = userOf(request);
      const owner = hasRole(request.identity, 'admin') ? undefined : user.userId;
      if (!(await revokeApiKey(db, request.params.id, owner, new Date()))) {
        throw new AppError(tokenErrors['token.api_key_not_found']);
      }
      return reply.code(204).send();
    },
  );

  app.post(
    '/api-keys/exchange',
    {
      config: { ownCredentials: true },
      schema: {
        summary: 'Exchange an API key (X-API-Key header) for a 15-minute access token',
        tags: TAGS,
        headers: ExchangeHeaders,
        response: { 200: ExchangedToken },
      },
    },
    async (request, reply) => {
      const presented = request.headers['x-api-key'];
      if (typeof presented !== 'string' || presented === '') {
        throw new AppError(tokenErrors['token.api_key_invalid'], 'Send the key in the X-API-Key header');
      }
      const key = await useApiKey(db, digest(presented), new Date());
      if (key === undefined) throw new AppError(tokenErrors['token.api_key_invalid']);
      const owner = await findSubject(db, key.userId);
      if (owner.status === 'suspended') throw new AppError(tokenErrors['token.subject_suspended']);
      const { token, expiresIn } = await minter.mint({
        sub: key.userId,
        roles: ['customer'],
        tier: key.tier,
        akid: key.id,
        scope: key.scopes.join(' '),
      });
      return reply
        .header('cache-control', 'no-store')
        .send({ accessToken: token, tokenType: 'Bearer', expiresIn });
    },
  );
}

function view(key: ApiKeyRow) {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    tier: key.tier,
    createdAt: key.createdAt.toISOString(),
  };
}
