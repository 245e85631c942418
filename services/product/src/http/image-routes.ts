// Generated product pictures, served by this service so the catalog needs no remote URLs.

import type { App } from '@shopnow/chassis';
import { AppError } from '@shopnow/chassis';
import { strongEtag } from '../cache/product-cache.ts';
import { productErrors } from '../errors.ts';
import { renderProductSvg } from '../images/product-svg.ts';
import { findProductById } from '../store/products.ts';
import type { RouteDeps } from './deps.ts';
import { ifNoneMatchHits } from './etag.ts';
import { IdParams } from './schemas.ts';

export function registerImageRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    '/products/:id/image.svg',
    {
      schema: {
        summary: "The product's generated picture (image/svg+xml)",
        tags: ['catalog'],
        params: IdParams,
      },
    },
    async (request, reply) => {
      const product = await findProductById(db, request.params.id);
      if (product === undefined) {
        throw new AppError(productErrors['product.not_found'], `No product ${request.params.id}`);
      }
      const svg = renderProductSvg(product);
      const etag = strongEtag(svg);
      reply
        .header('etag', etag)
        .header('cache-control', 'public, max-age=3600')
        // Storefronts on another origin may embed it; the CSP (default-src 'none') stays.
        .header('cross-origin-resource-policy', 'cross-origin');
      if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.type('image/svg+xml; charset=utf-8').send(svg);
    },
  );
}
