// Admin: dead messages (permanently refused or out of attempts, with the reason) and a retry of
// one; and promotions, the marketing message sent to every customer who opted in. The admin role
// comes from the verified access token and is checked before anything else.
import { randomUUID } from 'node:crypto';
import { type App, AppError, requireRoles } from '@shopnow/chassis';
import type pg from 'pg';
import { categoryOf } from '../domain/message-kinds.ts';
import { messageNotFound, notificationErrors } from '../errors.ts';
import { findMessage, insertForEveryRecipient, listMessages, reviveDead } from '../store/messages.ts';
import { afterCursor, pageOf } from './paging.ts';
import {
  DeadQuery,
  IdParams,
  MessageDetail,
  MessagePage,
  NoQuery,
  PromotionAccepted,
  PromotionBody,
} from './schemas.ts';
import { messageDetailView, messageSummaryView } from './views.ts';

const TAGS = ['messages (admin)'];
const NOTE = 'Requires an access token with the admin role.';

export function registerAdminRoutes(app: App, { db }: { db: pg.Pool }): void {
  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));
    admin.get(
      '/admin/messages/dead',
      {
        schema: {
          summary: 'Dead messages, newest first, with why they died',
          description: NOTE,
          tags: TAGS,
          querystring: DeadQuery,
          response: { 200: MessagePage },
        },
      },
      async (request) => {
        const { limit = 50, cursor } = request.query;
        const rows = await listMessages(db, {
          statuses: ['dead'],
          after: afterCursor(cursor),
          limit: limit + 1,
        });
        const { page, nextCursor } = pageOf(rows, limit);
        return { items: page.map(messageSummaryView), nextCursor };
      },
    );

    admin.get(
      '/admin/messages/:id',
      {
        schema: {
          summary: 'One message, whatever its state',
          description: NOTE,
          tags: TAGS,
          params: IdParams,
          querystring: NoQuery,
          response: { 200: MessageDetail },
        },
      },
      async (request) => {
        const m = await findMessage(db, request.params.id);
        if (m === undefined) throw messageNotFound(request.params.id);
        return messageDetailView(m);
      },
    );

    admin.post(
      '/admin/messages/:id/retry',
      {
        schema: {
          summary: 'Sends a dead message again (its attempts start over)',
          description: NOTE,
          tags: TAGS,
          params: IdParams,
          querystring: NoQuery,
          response: { 202: MessageDetail },
        },
      },
      async (request, reply) => {
        const revived = await reviveDead(db, request.params.id);
        if (revived !== undefined) return reply.code(202).send(messageDetailView(revived));
        if ((await findMessage(db, request.params.id)) === undefined)
          throw messageNotFound(request.params.id);
        throw new AppError(
          notificationErrors['notification.not_dead'],
          `Message ${request.params.id} is not dead`,
        );
      },
    );

    admin.post(
      '/admin/promotions',
      {
        schema: {
          summary: 'A promotion for every customer who opted in to marketing (by their channels)',
          description: `${NOTE} One message per known customer; those without consent get nothing. The same promotionId again makes no new messages.`,
          tags: TAGS,
          body: PromotionBody,
          querystring: NoQuery,
          response: { 202: PromotionAccepted },
        },
      },
      async (request, reply) => {
        const promotionId = request.body.promotionId ?? randomUUID();
        const params = { ...request.body, promotionId };
        const messages = await insertForEveryRecipient(db, {
          kind: 'promotion',
          category: categoryOf('promotion'),
          keyPrefix: `promotion:${promotionId}`,
          params,
          sourceEventId: `promotion:${promotionId}`,
          sourceEventType: 'admin.promotion',
        });
        return reply.code(202).send({ promotionId, messages });
      },
    );
  });
}
