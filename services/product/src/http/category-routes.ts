import type { App } from '@shopnow/chassis';
import { listCategories } from '../store/categories.ts';
import type { RouteDeps } from './deps.ts';
import { CategoryList, NoQuery } from './schemas.ts';

export function registerCategoryRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    '/categories',
    {
      schema: {
        summary: 'All categories with their active product counts',
        tags: ['catalog'],
        querystring: NoQuery,
        response: { 200: CategoryList },
      },
    },
    async () => ({ items: await listCategories(db) }),
  );
}
