// Refunds (secret key, Idempotency-Key required): part or all of a succeeded charge, never more
// in total than it captured. The charge row is locked while its refund is decided, so refunds
// of one charge sent at once (with different keys) take turns instead of both passing the check.
import { type App, AppError } from '@shopnow/chassis';
import type pg from 'pg';
import type { Static } from 'typebox';
import { newId } from '../domain/ids.ts';
import { decideRefund } from '../domain/refund.ts';
import { providerErrors } from '../errors.ts';
import { addRefundedAmount, findCharge } from '../store/charges.ts';
import { insertRefund } from '../store/refunds.ts';
import type { RouteDeps } from './deps.ts';
import { idempotentPost } from './idempotent-post.ts';
import { CreateRefundBody, IdempotentHeaders, NoQuery, RefundResponse } from './schemas.ts';

type RefundBody = Static<typeof CreateRefundBody>;

export function registerRefundRoutes(app: App, deps: RouteDeps): void {
  const { db, metrics } = deps;
  app.post(
    '/v1/refunds',
    {
      schema: {
        summary: 'Refund part or all of a charge (Idempotency-Key required)',
        description:
          'Without amount: what is left of the charge. Replays, mismatches and concurrency as for charges.',
        tags: ['refunds'],
        security: [{ secretKey: [] }],
        headers: IdempotentHeaders,
        querystring: NoQuery,
        body: CreateRefundBody,
        response: { 201: RefundResponse },
      },
    },
    async (request, reply) => {
      const result = await idempotentPost(db, request, reply, 'refunds', (tx) =>
        refund(tx, request.body, deps),
      );
      if (!result.replayed) metrics.refunds.inc();
      return reply;
    },
  );
}

async function refund(tx: pg.PoolClient, body: RefundBody, { clock }: RouteDeps) {
  const charge = await findCharge(tx, body.charge, { forUpdate: true });
  if (charge === undefined) throw new AppError(providerErrors['provider.no_such_charge'], 'No such charge');
  const decision = decideRefund(charge, body.amount);
  if (!decision.ok) {
    if (decision.refusal === 'refund_exceeds_remaining') {
      throw new AppError(
        providerErrors['provider.refund_exceeds_remaining'],
        `At most ${decision.remaining} is left to refund of this charge`,
        { remaining: decision.remaining },
      );
    }
    throw new AppError(providerErrors[`provider.${decision.refusal}`]);
  }
  const created = await insertRefund(tx, {
    id: newId('refund'),
    chargeId: charge.id,
    amount: decision.amount,
    reason: body.reason ?? null,
    metadata: body.metadata ?? {},
    createdAt: clock(),
  });
  await addRefundedAmount(tx, charge.id, decision.amount);
  return { status: 201, body: created as unknown };
}
