// Reviews: list (newest first, cursor paged; anyone) and add (one per user per product; a
// signed-in user). The author is the verified token's subject, never anything the client names.
import { randomUUID } from 'node:crypto';
import type { App } from '@shopnow/chassis';
import { AppError, commonErrors, fieldError, requireUser, runWrite, userOf } from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import { DEFAULT_PAGE_SIZE } from '../domain/paging.ts';
import { decodeReviewCursor, encodeReviewCursor } from '../domain/review-cursor.ts';
import { productErrors } from '../errors.ts';
import { findProductById } from '../store/products.ts';
import { addReview, listReviews } from '../store/reviews.ts';
import type { RouteDeps } from './deps.ts';
import {
  CreateReviewBody,
  IdempotencyHeaders,
  IdParams,
  PageQuery,
  ReviewCreated,
  ReviewPage,
} from './schemas.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerReviewRoutes(app: App, { db, cache }: RouteDeps): void {
  app.get(
    '/products/:id/reviews',
    {
      schema: {
        summary: "A product's reviews, newest first",
        tags: ['reviews'],
        params: IdParams,
        querystring: PageQuery,
        response: { 200: ReviewPage },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { cursor, limit = DEFAULT_PAGE_SIZE } = request.query;
      const after = cursor === undefined ? undefined : decodeReviewCursor(cursor);
      if (cursor !== undefined && after === undefined) {
        throw fieldError(
          productErrors['product.invalid_cursor'],
          'querystring',
          '/cursor',
          'is not a reviews cursor',
        );
      }
      if ((await findProductById(db, id)) === undefined) {
        throw new AppError(productErrors['product.not_found'], `No product ${id}`);
      }
      const page = await listReviews(db, { productId: id, after, limit });
      return { items: page.items, nextCursor: page.nextKey ? encodeReviewCursor(page.nextKey) : null };
    },
  );

  app.post(
    '/products/:id/reviews',
    {
      // onRequest, before the body is parsed: an anonymous caller gets 401, not a validation 400.
      onRequest: requireUser,
      schema: {
        summary: 'Add a review (one per user); updates the product rating in the same transaction',
        description: "Requires a user access token; the author is the token's user.",
        tags: ['reviews'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CreateReviewBody,
        response: { 201: ReviewCreated },
      },
    },
    async (request, reply) => {
      const { userId } = userOf(request);
      // Reviews store the author as a uuid; a token for some other kind of subject is refused
      // here rather than failing in Postgres.
      if (!UUID.test(userId))
        throw new AppError(commonErrors.forbidden, 'Reviews are written by user accounts');
      const productId = request.params.id;
      const { rating, title = '', body = '' } = request.body;
      const result = await runWrite(db, request, reply as FastifyReply, `reviews:${userId}`, async (tx) => {
        const added = await addReview(tx, { id: randomUUID(), productId, userId, rating, title, body });
        if (added.outcome === 'product_not_found') {
          throw new AppError(productErrors['product.not_found'], `No product ${productId}`);
        }
        if (added.outcome === 'already_reviewed') {
          throw new AppError(
            productErrors['product.already_reviewed'],
            'Edit is not supported yet; one review per user',
          );
        }
        return { status: 201, body: { review: added.review, rating: added.rating } };
      });
      cache.invalidate(productId); // the rating shown on the product changed
      return reply.code(201).send(result.body);
    },
  );
}
