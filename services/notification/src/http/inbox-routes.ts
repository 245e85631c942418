// The signed-in user's in-app inbox: newest first with a cursor, the unread count, marking one
// or all read. Only the caller's own items are ever seen; another user's item id is a 404.
import { type App, requireUser, userOf } from '@shopnow/chassis';
import type pg from 'pg';
import { messageNotFound } from '../errors.ts';
import { listInbox, markAllRead, markRead, unreadCount } from '../store/inbox-items.ts';
import { afterCursor, pageOf } from './paging.ts';
import { IdParams, InboxItem, InboxPage, InboxQuery, Marked, NoQuery, UnreadCount } from './schemas.ts';
import { inboxItemView } from './views.ts';

const TAGS = ['inbox'];
const NOTE = "Requires a user's access token; shows that user's messages only.";

export function registerInboxRoutes(app: App, { db }: { db: pg.Pool }): void {
  app.register(async (inbox: App) => {
    inbox.addHook('onRequest', requireUser);
    inbox.get(
      '/inbox',
      {
        schema: {
          summary: 'My messages, newest first; ?unread=true for the unread ones',
          description: NOTE,
          tags: TAGS,
          querystring: InboxQuery,
          response: { 200: InboxPage },
        },
      },
      async (request) => {
        const { userId } = userOf(request);
        const { unread = false, limit = 50, cursor } = request.query;
        const rows = await listInbox(db, {
          userId,
          unreadOnly: unread,
          after: afterCursor(cursor),
          limit: limit + 1,
        });
        const { page, nextCursor } = pageOf(rows, limit);
        return { items: page.map(inboxItemView), nextCursor, unreadCount: await unreadCount(db, userId) };
      },
    );

    inbox.get(
      '/inbox/unread-count',
      {
        schema: {
          summary: 'How many of my messages are unread',
          description: NOTE,
          tags: TAGS,
          querystring: NoQuery,
          response: { 200: UnreadCount },
        },
      },
      async (request) => ({ unreadCount: await unreadCount(db, userOf(request).userId) }),
    );

    inbox.post(
      '/inbox/:id/read',
      {
        schema: {
          summary: 'Marks one of my messages read (again: no change)',
          description: NOTE,
          tags: TAGS,
          params: IdParams,
          querystring: NoQuery,
          response: { 200: InboxItem },
        },
      },
      async (request) => {
        const item = await markRead(db, userOf(request).userId, request.params.id);
        if (item === undefined) throw messageNotFound(request.params.id);
        return inboxItemView(item);
      },
    );

    inbox.post(
      '/inbox/read-all',
      {
        schema: {
          summary: 'Marks all my messages read',
          description: NOTE,
          tags: TAGS,
          querystring: NoQuery,
          response: { 200: Marked },
        },
      },
      async (request) => ({ marked: await markAllRead(db, userOf(request).userId) }),
    );
  });
}
