// A POST that creates something in the ledger, run once per Idempotency-Key (scope per route):
// the key's first answer, success or decline, is stored in the transaction that wrote it and
// replayed exactly; a refusal (4xx thrown) or a processing error stores nothing, so a retry
// with the same key runs again.

import { PROBLEM_CONTENT_TYPE, runWrite, type StoredResponse } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';

export async function idempotentPost<B>(
  db: pg.Pool,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  write: (tx: pg.PoolClient) => Promise<StoredResponse<B>>,
): Promise<{ replayed: boolean; status: number }> {
  const { status, body } = await runWrite(db, request, reply, scope, write);
  if (status >= 400) reply.type(PROBLEM_CONTENT_TYPE);
  reply.code(status).send(body);
  return { replayed: reply.getHeader('idempotent-replayed') === 'true', status };
}
