// GET, PUT (full replace) and PATCH (partial) of /profiles/:userId/preferences.
// A profile whose registration event has not arrived yet reads as the defaults: the owner's first
// read stores them (lazy creation); another caller's read (admin, support, a service) only shows
// them, so looking up an id nobody registered never invents a profile.
import type { App } from '@shopnow/chassis';
import { runWrite } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  changePreferences,
  DEFAULT_PREFERENCES,
  type Preferences,
  preparePreferences,
} from '../domain/preferences.ts';
import { ruleErrors } from '../errors.ts';
import type { Queryable } from '../store/db.ts';
import {
  ensurePreferences,
  findPreferences,
  type StoredPreferences,
  savePreferences,
} from '../store/preferences.ts';
import { isOwner, profileUserOf } from './access.ts';
import type { RouteDeps } from './deps.ts';
import {
  ChangePreferencesBody,
  NoQuery,
  PreferencesResponse,
  ProfileParams,
  ReplacePreferencesBody,
  WriteHeaders,
} from './schemas.ts';
import { writeScope } from './write.ts';

const TAGS = ['preferences'];
const PATH = '/profiles/:userId/preferences';

export function registerPreferencesRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    PATH,
    {
      schema: {
        summary: "A user's preferences (defaults until changed)",
        tags: TAGS,
        params: ProfileParams,
        querystring: NoQuery,
        response: { 200: PreferencesResponse },
      },
    },
    async (request) => {
      const userId = profileUserOf(request);
      const stored = await findPreferences(db, userId);
      if (stored !== undefined) return stored;
      if (!isOwner(request)) return { userId, ...DEFAULT_PREFERENCES, updatedAt: null };
      await ensurePreferences(db, userId);
      return (await findPreferences(db, userId)) as StoredPreferences;
    },
  );

  app.put(
    PATH,
    {
      schema: {
        summary: 'Replace every preference',
        tags: TAGS,
        params: ProfileParams,
        querystring: NoQuery,
        headers: WriteHeaders,
        body: ReplacePreferencesBody,
        response: { 200: PreferencesResponse },
      },
    },
    async (request, reply) => {
      const prepared = preparePreferences(request.body);
      if (!prepared.ok) throw ruleErrors(prepared.problems);
      return write(request, reply as FastifyReply, db, (tx, userId) =>
        savePreferences(tx, userId, prepared.value),
      );
    },
  );

  app.patch(
    PATH,
    {
      schema: {
        summary: 'Change some preferences',
        tags: TAGS,
        params: ProfileParams,
        querystring: NoQuery,
        headers: WriteHeaders,
        body: ChangePreferencesBody,
        response: { 200: PreferencesResponse },
      },
    },
    async (request, reply) =>
      write(request, reply as FastifyReply, db, async (tx, userId) => {
        // The row is locked so two PATCHes of different fields both take effect.
        await ensurePreferences(tx, userId);
        const current = (await findPreferences(tx, userId, { forUpdate: true })) as Preferences;
        const changed = changePreferences(current, request.body);
        if (!changed.ok) throw ruleErrors(changed.problems);
        return savePreferences(tx, userId, changed.value);
      }),
  );
}

async function write(
  request: FastifyRequest,
  reply: FastifyReply,
  db: RouteDeps['db'],
  change: (tx: Queryable, userId: string) => Promise<StoredPreferences>,
): Promise<StoredPreferences> {
  const userId = profileUserOf(request);
  const { body } = await runWrite(db, request, reply, writeScope(request), async (tx) => ({
    status: 200,
    body: await change(tx, userId),
  }));
  return body;
}
