// Catalog search in two steps:
//   1. full text: websearch_to_tsquery over the weighted `search` tsvector (name A,
//      category/attributes B, description C), ranked by ts_rank — precise, uses the GIN index —
//      scaled up by how closely the name contains the query as typed, so "headphones" puts
//      "Wireless Headphones" above "Headphone Stand" (same stem, same weight);
//   2. trigram fallback (pg_trgm) for typos and partial words: each query word is scored by
//      its best word_similarity against the name (full weight) or the whole text (0.6),
//      averaged over the words; the `%>` operator lets the trigram GIN index pick candidates.
// The query arrives only as a parameter: websearch_to_tsquery never raises on user syntax.
import type { Product } from '../domain/product.ts';
import type { Queryable } from './db.ts';
import { type ProductRow, productColumnsOf, toProduct } from './product-rows.ts';

export interface ScoredProduct {
  product: Product;
  score: number;
}

export async function fullTextSearch(
  db: Queryable,
  q: { text: string; category?: string; limit: number },
): Promise<ScoredProduct[]> {
  const { rows } = await db.query<ProductRow & { score: number }>(
    `SELECT ${productColumnsOf('p')}, ts_rank(p.search, query) * (1 + word_similarity($1, p.name)) AS score
       FROM products p, websearch_to_tsquery('english', $1) AS query
      WHERE p.active AND p.search @@ query AND ($2::text IS NULL OR p.category = $2)
      ORDER BY score DESC, p.rating_avg DESC, p.id
      LIMIT $3`,
    [q.text, q.category ?? null, q.limit],
  );
  return rows.map((row) => ({ product: toProduct(row), score: row.score }));
}

export async function fuzzySearch(
  db: Queryable,
  q: { text: string; words: string[]; category?: string; limit: number; excludeIds: string[] },
): Promise<ScoredProduct[]> {
  const { rows } = await db.query<ProductRow & { score: number }>(
    `SELECT ${productColumnsOf('p')}, s.score
       FROM products p
       CROSS JOIN LATERAL (
         SELECT avg(greatest(word_similarity(w, p.name), 0.6 * word_similarity(w, p.search_text)))::float8 AS score
           FROM unnest($1::text[]) AS w
       ) s
      WHERE p.active
        AND p.search_text %> ANY ($1::text[])
        AND ($2::text IS NULL OR p.category = $2)
        AND NOT (p.id = ANY ($4::uuid[]))
      ORDER BY s.score DESC, similarity(p.name, $5) DESC, p.rating_avg DESC, p.id
      LIMIT $3`,
    [q.words, q.category ?? null, q.limit, q.excludeIds, q.text],
  );
  return rows.map((row) => ({ product: toProduct(row), score: row.score }));
}
