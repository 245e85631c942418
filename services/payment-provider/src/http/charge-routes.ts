// Charges: POST (secret key, Idempotency-Key required), one by id, and the ledger list.
// A charge takes its token's test-card outcome: success (the token is then used up), a decline
// (a failed charge, stored as the key's answer, 402), or a processing error (nothing stored,
// 502: the same key may be sent again).
import { type App, AppError, buildProblem, commonErrors, fieldError, sendProblem } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Static } from 'typebox';
import { decodeCursor, encodeCursor } from '../domain/cursor.ts';
import { newId } from '../domain/ids.ts';
import { DECLINE_MESSAGES, type Decline } from '../domain/test-cards.ts';
import { chargeRefusal } from '../domain/token.ts';
import { declineError, providerErrors } from '../errors.ts';
import { findCharge, insertCharge, listCharges } from '../store/charges.ts';
import { findToken, markTokenUsed } from '../store/tokens.ts';
import type { RouteDeps } from './deps.ts';
import { idempotentPost } from './idempotent-post.ts';
import {
  ChargeList,
  ChargeListQuery,
  ChargeParams,
  ChargeResponse,
  CreateChargeBody,
  DeclineProblem,
  IdempotentHeaders,
  NoQuery,
} from './schemas.ts';

const TAGS = ['charges'];
const SECURITY = [{ secretKey: [] }];

type ChargeBody = Static<typeof CreateChargeBody>;

/** Thrown inside the transaction so that nothing of the attempt is stored. */
class ProcessingError extends Error {}

const REFUSALS = {
  token_used: 'The token was already used by a successful charge; tokenize the card again',
  token_expired: 'The token has expired; tokenize the card again',
  token_customer_mismatch: 'The token was made for another customer',
} as const;

export function registerChargeRoutes(app: App, deps: RouteDeps): void {
  const { db, metrics } = deps;

  app.post(
    '/v1/charges',
    {
      schema: {
        summary: 'Charge a token (Idempotency-Key required)',
        description:
          'Same key and same request: the first answer again (Idempotent-Replayed: true); same key and another ' +
          'request: 422; while the first is running: 409. Declines (402) are final answers; a processing error ' +
          '(502) is not stored, so the same key may be retried.',
        tags: TAGS,
        security: SECURITY,
        headers: IdempotentHeaders,
        querystring: NoQuery,
        body: CreateChargeBody,
        response: { 201: ChargeResponse, 402: DeclineProblem },
      },
    },
    async (request, reply) => {
      try {
        const result = await idempotentPost(db, request, reply, 'charges', (tx) =>
          charge(tx, request.body, request, deps),
        );
        if (!result.replayed)
          metrics.charges.inc({ outcome: result.status === 201 ? 'succeeded' : 'declined' });
        return reply;
      } catch (err) {
        if (!(err instanceof ProcessingError)) throw err;
        metrics.charges.inc({ outcome: 'processing_error' });
        return sendProblem(reply as FastifyReply, request, providerErrors['provider.processing_error'], {
          detail:
            'The card network did not answer; send the same request with the same Idempotency-Key again',
          extra: { retryable: true },
        });
      }
    },
  );

  app.get(
    '/v1/charges/:id',
    {
      schema: {
        summary: 'One charge with its refunds',
        tags: TAGS,
        security: SECURITY,
        params: ChargeParams,
        querystring: NoQuery,
        response: { 200: ChargeResponse },
      },
    },
    async (request) => {
      const found = await findCharge(db, request.params.id);
      if (found === undefined)
        throw new AppError(providerErrors['provider.charge_not_found'], 'No such charge');
      return found;
    },
  );

  app.get(
    '/v1/charges',
    {
      schema: {
        summary: 'The ledger, newest first, filtered by metadata.orderId, customer or status',
        tags: TAGS,
        security: SECURITY,
        querystring: ChargeListQuery,
        response: { 200: ChargeList },
      },
    },
    async (request) => {
      const { orderId, customer, status, limit, cursor } = request.query;
      const beforeSeq = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && beforeSeq === undefined) {
        throw fieldError(
          commonErrors.validation_failed,
          'querystring',
          '/cursor',
          'is not a nextCursor of this list',
        );
      }
      const page = await listCharges(db, { orderId, customer, status, limit, beforeSeq });
      return {
        items: page.items,
        nextCursor: page.nextSeq === undefined ? null : encodeCursor(page.nextSeq),
      };
    },
  );
}

async function charge(tx: pg.PoolClient, body: ChargeBody, request: FastifyRequest, { clock }: RouteDeps) {
  const now = clock();
  const token = await findToken(tx, body.token, { forUpdate: true });
  if (token === undefined) throw new AppError(providerErrors['provider.no_such_token'], 'No such token');
  const refusal = chargeRefusal(token, body.customer, now);
  if (refusal !== undefined) throw new AppError(providerErrors[`provider.${refusal}`], REFUSALS[refusal]);
  if (token.outcome === 'processing_error') throw new ProcessingError();

  const id = newId('charge');
  const decline: Decline | null = token.outcome === 'succeeds' ? null : token.outcome;
  await insertCharge(tx, {
    id,
    tokenId: token.id,
    amount: body.amount,
    currency: body.currency,
    status: decline === null ? 'succeeded' : 'failed',
    failureCode: decline,
    customer: body.customer ?? token.customer,
    description: body.description ?? null,
    metadata: body.metadata ?? {},
    createdAt: now,
  });
  if (decline !== null) {
    const problem = buildProblem(declineError(decline), request, {
      detail: DECLINE_MESSAGES[decline],
      extra: { charge: id, declineCode: decline },
    });
    return { status: 402, body: problem as unknown };
  }
  await markTokenUsed(tx, token.id, id, now);
  return { status: 201, body: (await findCharge(tx, id)) as unknown };
}
