// Admin: payments for support and saga debugging: the list (by order, by status, cursor paging)
// and one payment with every call made to the processor for it. The admin role comes from the
// verified access token and is checked before anything else.
import { type App, AppError, requireRoles } from '@shopnow/chassis';
import type pg from 'pg';
import { decodeCursor, encodeCursor } from '../domain/cursor.ts';
import { paymentErrors, paymentNotFound } from '../errors.ts';
import { attemptsOf } from '../store/attempts.ts';
import { findPayment, listPayments } from '../store/payments.ts';
import { NoQuery, PaymentDetail, PaymentListQuery, PaymentPage, PaymentParams } from './schemas.ts';
import { attemptView, paymentView } from './views.ts';

const TAGS = ['payments (admin)'];
const NOTE = 'Requires an access token with the admin role.';

export function registerPaymentRoutes(app: App, { db }: { db: pg.Pool }): void {
  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));
    admin.get(
      '/payments',
      {
        schema: {
          summary: "Payments, newest first; ?orderId= for an order's, ?status= by state",
          description: NOTE,
          tags: TAGS,
          querystring: PaymentListQuery,
          response: { 200: PaymentPage },
        },
      },
      async (request) => {
        const { orderId, status, limit = 50, cursor } = request.query;
        const after = cursor === undefined ? undefined : decodeCursor(cursor);
        if (cursor !== undefined && after === undefined) {
          throw new AppError(paymentErrors['payment.invalid_cursor'], 'cursor is not one this list made');
        }
        const rows = await listPayments(db, { orderId, status, after, limit: limit + 1 });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map(paymentView),
          nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
        };
      },
    );

    admin.get(
      '/payments/:id',
      {
        schema: {
          summary: 'One payment with every call made to the processor for it',
          description: NOTE,
          tags: TAGS,
          params: PaymentParams,
          querystring: NoQuery,
          response: { 200: PaymentDetail },
        },
      },
      async (request) => {
        const payment = await findPayment(db, { id: request.params.id });
        if (payment === undefined) throw paymentNotFound(request.params.id);
        const attempts = await attemptsOf(db, payment.id);
        return { ...paymentView(payment), attempts: attempts.map(attemptView) };
      },
    );
  });
}
