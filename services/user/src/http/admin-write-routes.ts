// Admin changes to a user: roles, tier, suspension. Each change and its event commit together
// (outbox); a change to what is already there publishes nothing. Support staff get 403.
import { type App, requireRoles, runWrite, userOf } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import {
  type ChangeContext,
  changeRoles,
  changeTier,
  ensureStillAdmin,
  reactivateUser,
  suspendUser,
} from '../commands/admin-changes.ts';
import type { User as UserRecord } from '../domain/user.ts';
import type { RouteDeps } from './deps.ts';
import {
  EmptyBody,
  IdempotencyHeaders,
  IdParams,
  NoQuery,
  RolesBody,
  SuspendBody,
  TierBody,
  User,
} from './schemas.ts';

const TAGS = ['admin'];
const AUTH_NOTE = 'Requires the role admin.';
const common = {
  tags: TAGS,
  description: AUTH_NOTE,
  params: IdParams,
  querystring: NoQuery,
  headers: IdempotencyHeaders,
};

export function registerAdminWriteRoutes(app: App, { db, events }: RouteDeps): void {
  /** Runs `change` in one transaction (idempotent per admin with an Idempotency-Key) and answers the user. */
  const write = async (
    request: FastifyRequest,
    reply: FastifyReply,
    change: (ctx: ChangeContext) => Promise<UserRecord>,
  ): Promise<UserRecord> => {
    const actorId = userOf(request).userId;
    const { body } = await runWrite(
      db,
      request,
      reply,
      `user-admin:${actorId}`,
      async (tx: pg.PoolClient) => {
        await ensureStillAdmin(tx, actorId);
        return { status: 200, body: await change({ tx, events, actorId }) };
      },
    );
    return body;
  };

  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));

    admin.put(
      '/admin/users/:id/roles',
      {
        schema: {
          ...common,
          summary: "Set a user's roles (user.roles_changed.v1)",
          body: RolesBody,
          response: { 200: User },
        },
      },
      (request, reply) =>
        write(request, reply as FastifyReply, (ctx) =>
          changeRoles(ctx, request.params.id, request.body.roles),
        ),
    );

    admin.put(
      '/admin/users/:id/tier',
      {
        schema: {
          ...common,
          summary: "Set a user's tier (user.tier_changed.v1)",
          body: TierBody,
          response: { 200: User },
        },
      },
      (request, reply) =>
        write(request, reply as FastifyReply, (ctx) => changeTier(ctx, request.params.id, request.body.tier)),
    );

    admin.post(
      '/admin/users/:id/suspend',
      {
        schema: {
          ...common,
          summary: 'Suspend an active user (user.suspended.v1: their sessions are revoked)',
          body: SuspendBody,
          response: { 200: User },
        },
      },
      (request, reply) =>
        write(request, reply as FastifyReply, (ctx) =>
          suspendUser(ctx, request.params.id, request.body.reason),
        ),
    );

    admin.post(
      '/admin/users/:id/reactivate',
      {
        schema: {
          ...common,
          summary: 'Reactivate a suspended user (user.reactivated.v1)',
          body: EmptyBody,
          response: { 200: User },
        },
        // No body at all is fine (it carries nothing); any body present must be `{}`.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      (request, reply) =>
        write(request, reply as FastifyReply, (ctx) => reactivateUser(ctx, request.params.id)),
    );
  });
}
