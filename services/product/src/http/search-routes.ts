// GET /products/search: ranked full text first, trigram similarity when that finds too little.
import type { App } from '@shopnow/chassis';
import { fieldError } from '@shopnow/chassis';
import { DEFAULT_PAGE_SIZE } from '../domain/paging.ts';
import { fuzzyTopUp, normaliseSearchQuery } from '../domain/search-query.ts';
import { productErrors } from '../errors.ts';
import { fullTextSearch, fuzzySearch } from '../store/search.ts';
import type { RouteDeps } from './deps.ts';
import { SearchQuery, SearchResult } from './schemas.ts';

export function registerSearchRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    '/products/search',
    {
      schema: {
        summary: 'Search active products (typo tolerant); the best `limit` matches, most relevant first',
        tags: ['catalog'],
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (request) => {
      const query = normaliseSearchQuery(request.query.q);
      if (query === undefined) {
        throw fieldError(
          productErrors['product.invalid_search'],
          'querystring',
          '/q',
          'must contain a letter or digit',
        );
      }
      const { category } = request.query;
      const limit = request.query.limit ?? DEFAULT_PAGE_SIZE;
      const exact = await fullTextSearch(db, { text: query.text, category, limit });
      const more = fuzzyTopUp(exact.length, limit);
      if (more === 0) return { items: exact.map((m) => m.product), strategy: 'fulltext' as const };
      const fuzzy = await fuzzySearch(db, {
        text: query.text,
        words: query.words,
        category,
        limit: more,
        excludeIds: exact.map((m) => m.product.id),
      });
      return {
        items: [...exact, ...fuzzy].map((m) => m.product),
        strategy: exact.length === 0 ? ('fuzzy' as const) : ('fulltext+fuzzy' as const),
      };
    },
  );
}
