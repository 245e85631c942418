// Reviews, and the rating summary kept on the product in the same transaction.

import { type RatingSummary, summariseRatings } from '../domain/rating.ts';
import type { ReviewKey } from '../domain/review-cursor.ts';
import type { Queryable } from './db.ts';

export interface Review {
  id: string;
  productId: string;
  userId: string;
  rating: number;
  title: string;
  body: string;
  createdAt: string;
}

interface ReviewRow {
  id: string;
  product_id: string;
  user_id: string;
  rating: number;
  title: string;
  body: string;
  created_at: Date;
}

const REVIEW_COLUMNS = 'id, product_id, user_id, rating, title, body, created_at';

const toReview = (row: ReviewRow): Review => ({
  id: row.id,
  productId: row.product_id,
  userId: row.user_id,
  rating: row.rating,
  title: row.title,
  body: row.body,
  createdAt: row.created_at.toISOString(),
});

export async function listReviews(
  db: Queryable,
  q: { productId: string; after?: ReviewKey; limit: number },
): Promise<{ items: Review[]; nextKey: ReviewKey | undefined }> {
  const { rows } = await db.query<ReviewRow>(
    `SELECT ${REVIEW_COLUMNS} FROM reviews
      WHERE product_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $4`,
    [q.productId, q.after?.createdAt ?? null, q.after?.id ?? null, q.limit + 1],
  );
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map(toReview),
    nextKey: hasMore && last ? { createdAt: last.created_at.toISOString(), id: last.id } : undefined,
  };
}

export type AddReviewResult =
  | { outcome: 'added'; review: Review; rating: { average: number; count: number } }
  | { outcome: 'product_not_found' }
  | { outcome: 'already_reviewed' };

/**
 * Adds one review and refreshes the product's rating summary. Must run inside a transaction.
 * The product row is locked first, so concurrent reviews of one product serialise and each
 * recount sees the others (a plain UPDATE ... (SELECT avg) would miss a concurrent insert).
 */
export async function addReview(
  tx: Queryable,
  r: Omit<Review, 'createdAt'> & { createdAt?: Date },
): Promise<AddReviewResult> {
  const locked = await tx.query('SELECT 1 FROM products WHERE id = $1 AND active FOR UPDATE', [r.productId]);
  if (locked.rowCount === 0) return { outcome: 'product_not_found' };

  const inserted = await tx.query<ReviewRow>(
    `INSERT INTO reviews (id, product_id, user_id, rating, title, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()))
     ON CONFLICT ON CONSTRAINT reviews_one_per_user DO NOTHING
     RETURNING ${REVIEW_COLUMNS}`,
    [r.id, r.productId, r.userId, r.rating, r.title, r.body, r.createdAt ?? null],
  );
  const row = inserted.rows[0];
  if (row === undefined) return { outcome: 'already_reviewed' };
  return { outcome: 'added', review: toReview(row), rating: await refreshRating(tx, r.productId) };
}

/**
 * Several reviews of one product in one statement, then its rating once (the seed: a query per
 * review cost seconds on a busy machine). A user's second review of the product is skipped, as
 * addReview skips it. Resolves to how many were added.
 */
export async function addReviewsOfProduct(
  tx: Queryable,
  productId: string,
  reviews: ReadonlyArray<Omit<Review, 'productId' | 'createdAt'> & { createdAt: Date }>,
): Promise<number> {
  if (reviews.length === 0) return 0;
  const rows = reviews.map((r) => ({
    id: r.id,
    user_id: r.userId,
    rating: r.rating,
    title: r.title,
    body: r.body,
    created_at: r.createdAt.toISOString(),
  }));
  const inserted = await tx.query(
    `INSERT INTO reviews (id, product_id, user_id, rating, title, body, created_at)
     SELECT r.id, $1, r.user_id, r.rating, r.title, r.body, r.created_at
       FROM jsonb_to_recordset($2::jsonb)
         AS r(id uuid, user_id uuid, rating smallint, title text, body text, created_at timestamptz)
     ON CONFLICT ON CONSTRAINT reviews_one_per_user DO NOTHING`,
    [productId, JSON.stringify(rows)],
  );
  await refreshRating(tx, productId);
  return inserted.rowCount ?? 0;
}

/** The product's rating from its reviews, stored on the product (in the caller's transaction). */
async function refreshRating(tx: Queryable, productId: string): Promise<RatingSummary> {
  const totals = await tx.query<{ count: number; sum: number }>(
    'SELECT count(*)::int AS count, coalesce(sum(rating), 0)::int AS sum FROM reviews WHERE product_id = $1',
    [productId],
  );
  const { count, sum } = totals.rows[0]!;
  const rating = summariseRatings(sum, count);
  await tx.query('UPDATE products SET rating_avg = $2, rating_count = $3 WHERE id = $1', [
    productId,
    rating.average,
    rating.count,
  ]);
  return rating;
}
