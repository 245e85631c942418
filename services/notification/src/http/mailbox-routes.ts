// The developer mailbox (DEV_MAILBOX=true, set by the embedded runtime): every email stored or
// sent, as the recipient would get it, so a developer can follow a verification or reset link
// without an SMTP server. Without DEV_MAILBOX these routes do not exist (404). They need no token:
// the mailbox is a development tool on a loopback address, and holds live links, so it must never
// be enabled where others can reach the service.
import type { App } from '@shopnow/chassis';
import type pg from 'pg';
import { messageNotFound } from '../errors.ts';
import { findMessage, listMessages, type MessageStatus } from '../store/messages.ts';
import { afterCursor, pageOf } from './paging.ts';
import { IdParams, MailboxQuery, MessageDetail, MessagePage, NoQuery } from './schemas.ts';
import { messageDetailView, messageSummaryView } from './views.ts';

const TAGS = ['developer mailbox'];
/** Rendered emails: to be sent, sent, kept without SMTP, or given up on. */
const EMAILS: readonly MessageStatus[] = ['queued', 'sent', 'stored', 'dead'];
/** The email's own HTML, shown as it is: inline styles and images of its own, nothing else. */
const EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

export function registerMailboxRoutes(app: App, { db }: { db: pg.Pool }): void {
  app.get(
    '/dev/mailbox',
    {
      schema: {
        summary: 'Every email, newest first; ?to= for one address',
        tags: TAGS,
        querystring: MailboxQuery,
        response: { 200: MessagePage },
      },
    },
    async (request) => {
      const { to, limit = 50, cursor } = request.query;
      const rows = await listMessages(db, {
        statuses: EMAILS,
        toEmail: to,
        after: afterCursor(cursor),
        limit: limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, limit);
      return { items: page.map(messageSummaryView), nextCursor };
    },
  );

  const emailOf = async (id: string) => {
    const m = await findMessage(db, id);
    if (m === undefined || !EMAILS.includes(m.status)) throw messageNotFound(id);
    return m;
  };

  app.get(
    '/dev/mailbox/:id',
    {
      schema: {
        summary: 'One email with its HTML and text',
        tags: TAGS,
        params: IdParams,
        querystring: NoQuery,
        response: { 200: MessageDetail },
      },
    },
    async (request) => messageDetailView(await emailOf(request.params.id)),
  );

  app.get(
    '/dev/mailbox/:id/html',
    { schema: { summary: 'One email as its HTML page', tags: TAGS, params: IdParams, querystring: NoQuery } },
    async (request, reply) => {
      const m = await emailOf(request.params.id);
      return reply.header('content-security-policy', EMAIL_CSP).type('text/html; charset=utf-8').send(m.html);
    },
  );
}
