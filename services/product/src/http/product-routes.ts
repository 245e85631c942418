import { fieldError } from '@shopnow/chassis';
// Public catalog reads: list (cursor paged, filtered, sorted), get by id (cached, ETag) or slug.

import type { App } from '@shopnow/chassis';
import { AppError } from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import { toCachedBody } from '../cache/product-cache.ts';
import { DEFAULT_PAGE_SIZE } from '../domain/paging.ts';
import { DEFAULT_PRODUCT_SORT, decodeProductCursor, encodeProductCursor } from '../domain/product-sort.ts';
import { productErrors } from '../errors.ts';
import { findProductById, findProductBySlug, listProducts } from '../store/products.ts';
import type { RouteDeps } from './deps.ts';
import { sendWithEtag } from './etag.ts';
import { IdParams, ListProductsQuery, Product, ProductPage, SlugParams } from './schemas.ts';

export function registerProductRoutes(app: App, { db, cache }: RouteDeps): void {
  app.get(
    '/products',
    {
      schema: {
        summary: 'List active products, newest first by default',
        tags: ['catalog'],
        querystring: ListProductsQuery,
        response: { 200: ProductPage },
      },
    },
    async (request) => {
      const q = request.query;
      const sort = q.sort ?? DEFAULT_PRODUCT_SORT;
      const after = q.cursor === undefined ? undefined : decodeProductCursor(q.cursor, sort);
      if (q.cursor !== undefined && after === undefined) {
        throw fieldError(
          productErrors['product.invalid_cursor'],
          'querystring',
          '/cursor',
          `is not a cursor from this listing with sort=${sort}`,
        );
      }
      if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) {
        throw fieldError(
          productErrors['product.invalid_price_range'],
          'querystring',
          '/minPrice',
          'exceeds maxPrice',
        );
      }
      const page = await listProducts(db, {
        filter: {
          category: q.category,
          minPriceMinor: q.minPrice,
          maxPriceMinor: q.maxPrice,
          currency: q.currency,
        },
        sort,
        after,
        limit: q.limit ?? DEFAULT_PAGE_SIZE,
      });
      return { items: page.items, nextCursor: page.nextKey ? encodeProductCursor(page.nextKey) : null };
    },
  );

  // The hot path: served from the in-process cache as pre-serialised JSON with a strong ETag.
  app.get(
    '/products/:id',
    {
      schema: {
        summary: 'Get an active product by id (ETag / If-None-Match supported)',
        tags: ['catalog'],
        params: IdParams,
        response: { 200: Product },
      },
    },
    (request, reply) => {
      const { id } = request.params;
      // A hit is answered synchronously: no promise and no microtask turn on the hottest path.
      const hit = cache.peek(id);
      if (hit !== undefined) {
        sendWithEtag(request, reply as FastifyReply, hit);
        return;
      }
      return cache
        .get(id, () => findProductById(db, id))
        .then((cached) => {
          if (cached === undefined)
            throw new AppError(productErrors['product.not_found'], `No product ${id}`);
          sendWithEtag(request, reply as FastifyReply, cached);
        });
    },
  );

  app.get(
    '/products/by-slug/:slug',
    {
      schema: {
        summary: 'Get an active product by slug',
        tags: ['catalog'],
        params: SlugParams,
        response: { 200: Product },
      },
    },
    async (request, reply) => {
      const product = await findProductBySlug(db, request.params.slug);
      if (product === undefined) {
        throw new AppError(productErrors['product.not_found'], `No product with slug ${request.params.slug}`);
      }
      return sendWithEtag(request, reply as FastifyReply, toCachedBody(product));
    },
  );
}
