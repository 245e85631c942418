import { type App, AppError, defineErrors } from '@shopnow/chassis';
import type { onRequestHookHandler } from 'fastify';
import type pg from 'pg';
import { Type } from 'typebox';
import type { Transport } from '../transport.ts';
import { replayDeadLetter } from './replay.ts';
import { getDeadLetter, listDeadLetters } from './store.ts';

export const deadLetterErrors = defineErrors({
  'events.dead_letter_not_found': { status: 404, title: 'Dead letter not found' },
  'events.dead_letter_already_replayed': { status: 409, title: 'This dead letter was already replayed' },
  'events.transport_unavailable': { status: 503, title: 'The event transport is unavailable; try again' },
});

const DeadLetterSchema = Type.Object({
  id: Type.String(),
  consumerGroup: Type.String(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  eventType: Type.Union([Type.String(), Type.Null()]),
  payload: Type.String({ description: 'The message exactly as it arrived' }),
  error: Type.String(),
  attempts: Type.Integer(),
  failedAt: Type.String({ format: 'date-time' }),
  replayedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) });

export interface DeadLetterRoutesOptions {
  db: pg.Pool;
  transport: Transport;
  /** Who may see and replay dead letters (the service's admin check). */
  authorize: onRequestHookHandler;
  /** Default `/admin/events/dead-letters`. */
  prefix?: string;
}

/** List, inspect and replay the dead letters of this service's consumer groups. */
export function registerDeadLetterRoutes(app: App, options: DeadLetterRoutesOptions): void {
  const base = options.prefix ?? '/admin/events/dead-letters';
  const { db, transport } = options;
  app.register(async (admin: App) => {
    admin.addHook('onRequest', options.authorize);
    admin.get(
      base,
      {
        schema: {
          summary: 'Dead letters, newest first (only those not yet replayed, unless includeReplayed)',
          tags: ['events'],
          querystring: Type.Object(
            {
              group: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              includeReplayed: Type.Optional(Type.Boolean()),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
              before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(DeadLetterSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const items = await listDeadLetters(db, { ...request.query, limit });
        return { items, nextBefore: items.length === limit ? (items.at(-1)?.id ?? null) : null };
      },
    );
    admin.get(
      `${base}/:id`,
      {
        schema: {
          summary: 'One dead letter',
          tags: ['events'],
          params: IdParams,
          response: { 200: DeadLetterSchema },
        },
      },
      async (request) => {
        const letter = await getDeadLetter(db, request.params.id);
        if (letter === undefined) throw notFound(request.params.id);
        return letter;
      },
    );
    admin.post(
      `${base}/:id/replay`,
      {
        schema: {
          summary: 'Deliver a dead letter again to its consumer group (only that group), as a first attempt',
          tags: ['events'],
          params: IdParams,
          response: { 202: Type.Object({ id: Type.String(), status: Type.Literal('replayed') }) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        let result: Awaited<ReturnType<typeof replayDeadLetter>>;
        try {
          result = await replayDeadLetter(db, transport, id);
        } catch (err) {
          throw new AppError(deadLetterErrors['events.transport_unavailable'], undefined, undefined, {
            cause: err,
          });
        }
        if (result === 'not_found') throw notFound(id);
        if (result === 'already_replayed') {
          throw new AppError(
            deadLetterErrors['events.dead_letter_already_replayed'],
            `Dead letter ${id} was already replayed`,
          );
        }
        return reply.code(202).send({ id, status: 'replayed' as const });
      },
    );
  });
}

function notFound(id: string): AppError {
  return new AppError(deadLetterErrors['events.dead_letter_not_found'], `No dead letter ${id}`);
}
