// The gateway's admin API (role admin): the route table in effect (and a reload), upstream
// instances with health and breaker state, the response cache and its purge.
import { type App, AppError, commonErrors } from '@shopnow/chassis';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { authorizeRoute } from '../auth/authorize-route.ts';
import { clientIpOf } from '../edge/client-ip.ts';
import { gatewayErrors } from '../errors.ts';
import type { GatewayRuntime } from '../proxy/gateway-runtime.ts';

export const ADMIN_PREFIX = '/api/admin/gateway';

const PurgeBody = Type.Object(
  {
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 100 }),
    ),
  },
  { additionalProperties: false },
);

export function registerAdminRoutes(app: App, rt: GatewayRuntime): void {
  const adminOnly = async (request: FastifyRequest) => {
    const ip = clientIpOf(
      request.raw.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      rt.trustedProxies,
    );
    const caller = await rt.authenticator.authenticate(request.headers, ip);
    authorizeRoute({ roles: ['admin'] }, caller.user);
  };
  const security = [{ bearerAuth: [] }];

  app.get(
    `${ADMIN_PREFIX}/routes`,
    { preHandler: adminOnly, schema: { tags: ['gateway'], summary: 'The route table in effect', security } },
    async () => {
      const table = rt.routes.current();
      return { version: table.version, source: table.source, file: table.file };
    },
  );

  app.post(
    `${ADMIN_PREFIX}/routes/reload`,
    {
      preHandler: adminOnly,
      schema: {
        tags: ['gateway'],
        summary: 'Read the route table file again (a bad file keeps the current table)',
        security,
      },
    },
    async () => {
      const result = await rt.routes.reload();
      if (!result.ok) throw new AppError(gatewayErrors['gateway.invalid_route_table'], result.error);
      return result;
    },
  );

  app.get(
    `${ADMIN_PREFIX}/upstreams`,
    {
      preHandler: adminOnly,
      schema: {
        tags: ['gateway'],
        summary: 'Upstreams: instances, health, ejections, breaker state',
        security,
      },
    },
    async () => ({ items: rt.upstreams.snapshot() }),
  );

  app.get(
    `${ADMIN_PREFIX}/cache`,
    { preHandler: adminOnly, schema: { tags: ['gateway'], summary: 'Response cache statistics', security } },
    async () => rt.cache.stats(),
  );

  app.post(
    `${ADMIN_PREFIX}/cache/purge`,
    {
      preHandler: adminOnly,
      schema: {
        tags: ['gateway'],
        summary: 'Drop cached responses: those carrying any of `tags`, or all without tags',
        security,
        body: Type.Optional(PurgeBody),
      },
    },
    async (request, reply) => {
      const tags = (request.body as { tags?: string[] } | undefined)?.tags;
      try {
        if (tags === undefined) await rt.cache.purgeAll();
        else await rt.cache.purgeTags(tags);
      } catch (err) {
        throw new AppError(
          commonErrors.unavailable,
          'The shared cache (Redis) cannot be reached',
          undefined,
          {
            cause: err,
          },
        );
      }
      return reply.code(204).send();
    },
  );
}
