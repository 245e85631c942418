// Sessions: sign-in (for the auth service), refresh, and a user's view and control of their own
// sessions. Another user's session is "not found", never "forbidden" (no probing of ids).
import { type App, AppError, requireService, userOf, withTransaction } from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import { tokenErrors } from '../errors.ts';
import { revokeSession, revokeUser } from '../revocation/revoke.ts';
import { issueSession } from '../sessions/issue-session.ts';
import { refreshSession } from '../sessions/refresh-session.ts';
import { listLiveSessions } from '../store/sessions.ts';
import type { RouteDeps } from './deps.ts';
import { requireSessionUser } from './guards.ts';
import { CreateSessionBody, IdParams, RefreshBody, SessionList, TokenPair } from './schemas.ts';

const TAGS = ['sessions'];

export function registerSessionRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/sessions',
    {
      onRequest: requireService('auth'),
      schema: {
        summary: 'Start a session for a user who just proved who they are (auth service only)',
        tags: TAGS,
        body: CreateSessionBody,
        response: { 201: TokenPair },
      },
    },
    async (request, reply) => {
      const pair = await issueSession(deps, request.body.userId, request.body.device);
      return reply.code(201).header('cache-control', 'no-store').send(pair);
    },
  );

  app.post(
    '/sessions/refresh',
    {
      config: { ownCredentials: true },
      schema: {
        summary: 'Exchange a refresh token for a new pair (the presented token is used up)',
        description:
          'A token rotated less than 10 s ago gets 409 token.refresh_superseded (a concurrent refresh); ' +
          'an older rotated token revokes its whole session and gets 401.',
        tags: TAGS,
        body: RefreshBody,
        response: { 200: TokenPair },
      },
    },
    async (request, reply) => {
      const pair = await refreshSession(deps, request.body.refreshToken);
      return reply.header('cache-control', 'no-store').send(pair);
    },
  );

  app.get(
    '/sessions',
    {
      onRequest: requireSessionUser,
      schema: { summary: 'My live sessions', tags: TAGS, response: { 200: SessionList } },
    },
    async (request) => {
      const user = userOf(request);
      const sessions = await listLiveSessions(deps.db, user.userId, new Date());
      return {
        items: sessions.map((session) => ({
          id: session.id,
          device: { userAgent: session.userAgent ?? null, ip: session.ip ?? null },
          createdAt: session.createdAt.toISOString(),
          lastUsedAt: session.lastUsedAt.toISOString(),
          current: session.id === user.sessionId,
        })),
      };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      onRequest: requireSessionUser,
      schema: { summary: 'End one of my sessions', tags: TAGS, params: IdParams },
    },
    async (request, reply) => {
      const { userId } = userOf(request);
      const ended = await withTransaction(deps.db, (tx) =>
        revokeSession(tx, deps.events, { userId, sessionId: request.params.id, reason: 'revoked_by_user' }),
      );
      if (!ended) throw new AppError(tokenErrors['token.session_not_found']);
      return revoked(deps, reply);
    },
  );

  app.post(
    '/sessions/logout',
    {
      onRequest: requireSessionUser,
      schema: { summary: 'End the session of this access token', tags: TAGS },
    },
    async (request, reply) => {
      const { userId, sessionId } = userOf(request);
      if (sessionId === undefined) throw new AppError(tokenErrors['token.no_session']);
      await withTransaction(deps.db, (tx) =>
        revokeSession(tx, deps.events, { userId, sessionId, reason: 'logout' }),
      );
      return revoked(deps, reply);
    },
  );

  app.post(
    '/sessions/logout-all',
    {
      onRequest: requireSessionUser,
      schema: { summary: 'End all my sessions, this one included', tags: TAGS },
    },
    async (request, reply) => {
      const { userId } = userOf(request);
      await withTransaction(deps.db, (tx) => revokeUser(tx, deps.events, { userId, reason: 'logout_all' }));
      return revoked(deps, reply);
    },
  );
}

/** After a revocation committed: refuse its tokens on this instance at once, then 204. */
export async function revoked(deps: RouteDeps, reply: FastifyReply): Promise<FastifyReply> {
  await deps.revocations.reload();
  return reply.code(204).send();
}
