// What every service's verifier polls: revocations after the last seq it has seen.
import { type App, requireService } from '@shopnow/chassis';
import { revocationsAfter } from '../store/revocations.ts';
import type { RouteDeps } from './deps.ts';
import { RevocationPage, RevocationsQuery } from './schemas.ts';

export function registerRevocationRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    '/revocations',
    {
      onRequest: requireService(),
      logLevel: 'warn',
      schema: {
        summary: 'Unexpired revocations after a seq, oldest first (at most 1000); any service',
        tags: ['internal'],
        querystring: RevocationsQuery,
        response: { 200: RevocationPage },
      },
    },
    async (request) => revocationsAfter(db, request.query.after, new Date()),
  );
}
