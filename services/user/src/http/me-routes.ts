// Self-service: a signed-in user reads their record and changes their display name. Nothing
// else is theirs to change: the body schema refuses roles, tier, status, email and id.
import { type App, fieldError, requireUser, runWrite, userOf } from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import { meaningfulText } from '../domain/text.ts';
import { throwUserNotFound, userErrors } from '../errors.ts';
import { findUserById, updateUser } from '../store/users.ts';
import type { RouteDeps } from './deps.ts';
import { IdempotencyHeaders, NoQuery, UpdateMeBody, User } from './schemas.ts';

const TAGS = ['me'];

export function registerMeRoutes(app: App, { db }: RouteDeps): void {
  app.register(async (me: App) => {
    me.addHook('onRequest', requireUser);

    me.get(
      '/users/me',
      {
        schema: {
          summary: 'The signed-in user',
          tags: TAGS,
          querystring: NoQuery,
          response: { 200: User },
        },
      },
      async (request) => {
        // 404 too for a token whose account's registration event has not been applied yet.
        const { userId } = userOf(request);
        return (await findUserById(db, userId)) ?? throwUserNotFound(userId);
      },
    );

    me.patch(
      '/users/me',
      {
        schema: {
          summary: "Change the signed-in user's display name",
          tags: TAGS,
          querystring: NoQuery,
          headers: IdempotencyHeaders,
          body: UpdateMeBody,
          response: { 200: User },
        },
      },
      async (request, reply) => {
        const { userId } = userOf(request);
        const displayName = meaningfulText(request.body.displayName);
        if (displayName === undefined) {
          throw fieldError(
            userErrors['user.blank_display_name'],
            'body',
            '/displayName',
            'must not be blank',
          );
        }
        const { body } = await runWrite(
          db,
          request,
          reply as FastifyReply,
          `user-self:${userId}`,
          async (tx) => {
            const user = (await updateUser(tx, userId, { displayName })) ?? throwUserNotFound(userId);
            return { status: 200, body: user };
          },
        );
        return body;
      },
    );
  });
}
