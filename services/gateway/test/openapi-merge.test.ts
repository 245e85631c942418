// mergeOpenApi on small hand-written service documents shaped like @fastify/swagger's output:
// which operations get published where, with what security, schemas and error responses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeOpenApi } from '../src/openapi/merge-openapi.ts';
import type { JsonObject, OpenApiDocument } from '../src/openapi/openapi-types.ts';
import type { RouteSpec } from '../src/routes/route-table-schema.ts';
import {
  assertValidOpenApi,
  deref,
  openApiProblems,
  operation,
  operationList,
  route,
  upstreamsFor,
} from './openapi-helpers.ts';

const uuidParam = (name: string) => ({
  schema: { type: 'string', format: 'uuid' },
  in: 'path',
  name,
  required: true,
});
const json = (schema: unknown) => ({ 'application/json': { schema } });

/** A catalog service: its own `Money` and `Product`, one internal endpoint no route exposes. */
function productDoc(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'product', version: '0.1.0', description: 'Catalog' },
    components: {
      schemas: {
        Money: {
          type: 'object',
          required: ['amountMinor', 'currency'],
          properties: {
            amountMinor: { type: 'integer', minimum: 0 },
            currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          },
          additionalProperties: false,
        },
        Product: {
          type: 'object',
          required: ['id', 'name', 'price', 'createdAt'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            name: { type: 'string' },
            price: { $ref: '#/components/schemas/Money' },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        ProductInput: {
          type: 'object',
          required: ['name', 'price'],
          properties: { name: { type: 'string' }, price: { $ref: '#/components/schemas/Money' } },
        },
        NeverReferenced: { type: 'string' },
      },
    },
    paths: {
      '/products': {
        get: {
          summary: 'List products',
          tags: ['catalog'],
          parameters: [{ schema: { type: 'integer' }, in: 'query', name: 'limit', required: false }],
          responses: {
            '200': {
              description: 'A page',
              content: json({
                type: 'object',
                properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Product' } } },
              }),
            },
          },
        },
      },
      '/products/{id}': {
        get: {
          summary: 'One product',
          operationId: 'getProduct',
          parameters: [uuidParam('id')],
          responses: {
            '200': { description: 'The product', content: json({ $ref: '#/components/schemas/Product' }) },
            '404': { description: 'No product with that id (the service says so itself)' },
          },
        },
      },
      '/products/featured': {
        get: {
          summary: 'Featured',
          responses: { '200': { description: 'Some', content: json({ type: 'array' }) } },
        },
      },
      '/products/{id}/reviews': {
        get: { parameters: [uuidParam('id')], responses: { '200': { description: 'Reviews' } } },
        post: {
          parameters: [uuidParam('id')],
          requestBody: {
            required: true,
            content: json({ type: 'object', properties: { rating: { type: 'integer' } } }),
          },
          responses: { '201': { description: 'Created' } },
        },
      },
      '/admin/products': {
        post: {
          requestBody: { required: true, content: json({ $ref: '#/components/schemas/ProductInput' }) },
          responses: {
            '201': { description: 'Created', content: json({ $ref: '#/components/schemas/Product' }) },
          },
        },
      },
      '/admin/products/{id}': {
        delete: { parameters: [uuidParam('id')], responses: { '204': { description: 'Gone' } } },
      },
      '/internal/reindex': { post: { responses: { '202': { description: 'Started' } } } },
    },
  };
}

/** A cart service whose `Money` differs from product's, with path-level parameters. */
function cartDoc(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'cart', version: '0.1.0', description: 'Carts' },
    components: {
      schemas: {
        Money: { type: 'object', required: ['cents'], properties: { cents: { type: 'integer' } } },
        Cart: {
          type: 'object',
          properties: { id: { type: 'string' }, total: { $ref: '#/components/schemas/Money' } },
        },
      },
    },
    paths: {
      '/carts/{cartId}': {
        parameters: [{ in: 'path', name: 'cartId', required: true, schema: { type: 'string' } }],
        get: {
          responses: {
            '200': { description: 'The cart', content: json({ $ref: '#/components/schemas/Cart' }) },
          },
        },
        put: {
          requestBody: { content: json({ $ref: '#/components/schemas/Cart' }) },
          responses: { '200': { description: 'Saved' } },
        },
      },
      '/carts/{cartId}/items/{itemId}': {
        delete: {
          parameters: [
            { in: 'path', name: 'cartId', required: true, schema: { type: 'string' } },
            { in: 'path', name: 'itemId', required: true, schema: { type: 'string' } },
          ],
          responses: { '204': { description: 'Removed' } },
        },
      },
    },
  };
}

const ROUTES: RouteSpec[] = [
  route({
    name: 'reviews-write',
    match: { path: '/api/products/:productId/reviews', methods: ['POST'] as never },
    rewrite: '/products/:productId/reviews',
    upstream: 'product',
    auth: 'user',
  }),
  route({
    name: 'product-by-id',
    match: { path: '/api/products/:id', methods: ['GET', 'HEAD'] as never },
    rewrite: '/products/:id',
    upstream: 'product',
  }),
  route({
    name: 'products',
    match: { path: '/api/products/**', methods: ['GET', 'HEAD'] as never },
    rewrite: '/products/**',
    upstream: 'product',
  }),
  route({
    name: 'products-v2',
    match: { path: '/api/v2/products/**', methods: ['GET', 'HEAD'] as never },
    rewrite: '/products/**',
    upstream: 'product',
    transform: {
      response: { headers: { set: { 'API-Version': '2' } }, body: { money: 'decimal', times: 'iso8601' } },
    },
  }),
  route({
    name: 'admin-products',
    match: { path: '/api/admin/products/**', methods: ['POST'] as never },
    rewrite: '/admin/products/**',
    upstream: 'product',
    auth: { roles: ['admin', 'support'] },
  }),
  route({
    name: 'my-cart',
    match: { path: '/api/me/cart', methods: ['GET'] as never },
    rewrite: '/carts/me',
    upstream: 'cart',
    auth: 'user',
  }),
  route({
    name: 'carts',
    match: { path: '/api/carts/**' },
    rewrite: '/carts/**',
    upstream: 'cart',
    auth: 'user',
  }),
  route({
    name: 'user-by-id',
    match: { path: '/api/users/:id', methods: ['GET', 'HEAD'] as never },
    rewrite: '/users/:id',
    upstream: 'users',
    auth: 'user',
  }),
  route({
    name: 'users',
    match: { path: '/api/users/**' },
    rewrite: '/users/**',
    upstream: 'users',
    auth: 'user',
  }),
];

function merge(
  routes: RouteSpec[] = ROUTES,
  extra: Partial<Parameters<typeof mergeOpenApi>[0]> = {},
): OpenApiDocument {
  return mergeOpenApi({
    title: 'ShopNow API',
    version: '7',
    routes,
    upstreams: upstreamsFor('product', 'cart', 'users'),
    documents: new Map<string, OpenApiDocument | undefined>([
      ['product', productDoc()],
      ['cart', cartDoc()],
      ['users', undefined],
    ]),
    ...extra,
  });
}

const schemaOf = (doc: OpenApiDocument, op: JsonObject, code: string) =>
  deref(
    doc,
    ((op.responses as JsonObject)[code] as { content: Record<string, { schema: unknown }> }).content[
      'application/json'
    ]?.schema,
  ) as JsonObject;

describe('mergeOpenApi', () => {
  test('publishes exactly what the routes expose: first match wins, methods filtered, ** fans out', () => {
    const doc = merge();
    assert.deepEqual(operationList(doc), [
      'DELETE /api/carts/{cartId}/items/{itemId}',
      'DELETE /api/users', // an unavailable service's `**` route: its prefix, each method
      'GET /api/carts/{cartId}',
      'GET /api/me/cart',
      'GET /api/products', // `**` matches the empty rest too
      'GET /api/products/featured', // through product-by-id (`:id` = featured hits the static route)
      'GET /api/products/{id}', // product-by-id comes first: products' mapping is shadowed
      'GET /api/products/{id}/reviews',
      'GET /api/users',
      'GET /api/users/{id}',
      'GET /api/v2/products',
      'GET /api/v2/products/featured',
      'GET /api/v2/products/{id}',
      'GET /api/v2/products/{id}/reviews',
      'PATCH /api/users',
      'POST /api/admin/products', // DELETE /admin/products/{id} is not allowed by the route
      'POST /api/products/{id}/reviews',
      'POST /api/users',
      'PUT /api/carts/{cartId}',
      'PUT /api/users',
    ]);
    assert.equal(operation(doc, 'get', '/api/products/featured')['x-gateway-route'], 'product-by-id');
    assert.equal(operation(doc, 'get', '/api/products/{id}')['x-gateway-route'], 'product-by-id');
    assert.equal(operation(doc, 'get', '/api/products/{id}/reviews')['x-gateway-route'], 'products');
    assert.equal(operation(doc, 'post', '/api/products/{id}/reviews')['x-gateway-route'], 'reviews-write');
    assertValidOpenApi(doc);
  });

  test('turns route parameters into OpenAPI templates and declares every path parameter', () => {
    const doc = merge();
    // The route calls it :productId; the public template keeps the service's name with its schema.
    const post = operation(doc, 'post', '/api/products/{id}/reviews');
    assert.deepEqual(post.parameters, [uuidParam('id')]);
    // Path-level parameters of the service's path item are carried into each operation.
    for (const method of ['get', 'put']) {
      assert.deepEqual(operation(doc, method, '/api/carts/{cartId}').parameters, [
        { in: 'path', name: 'cartId', required: true, schema: { type: 'string' } },
      ]);
    }
    // A rewrite that fills a service parameter itself (/carts/me) publishes no parameter for it.
    assert.deepEqual(operation(doc, 'get', '/api/me/cart').parameters, []);
    // An unavailable service's route parameters are declared as strings.
    assert.deepEqual(operation(doc, 'get', '/api/users/{id}').parameters, [
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  test('security, roles and tags follow the route auth rule', () => {
    const doc = merge();
    const pub = operation(doc, 'get', '/api/products');
    assert.deepEqual(pub.security, []);
    assert.deepEqual(pub.tags, ['product']);
    assert.equal(pub['x-required-roles'], undefined);

    const user = operation(doc, 'post', '/api/products/{id}/reviews');
    assert.deepEqual(user.security, [{ bearerAuth: [] }, { apiKey: [] }]);

    const admin = operation(doc, 'post', '/api/admin/products');
    assert.deepEqual(admin.security, [{ bearerAuth: [] }, { apiKey: [] }]);
    assert.deepEqual(admin['x-required-roles'], ['admin', 'support']);
    assert.match(String(admin.description), /one of the roles: admin, support/);

    const schemes = doc.components?.securitySchemes ?? {};
    assert.deepEqual(schemes, {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: (schemes.bearerAuth as JsonObject).description,
      },
      apiKey: {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: (schemes.apiKey as JsonObject).description,
      },
    });
    assert.deepEqual(
      doc.tags?.map((t) => t.name),
      ['product', 'cart', 'users'],
    );
  });

  test('moves each service’s components under its own prefix, with every $ref rewritten', () => {
    const doc = merge();
    const schemas = doc.components?.schemas ?? {};
    const get = operation(doc, 'get', '/api/products/{id}');
    assert.deepEqual(
      ((get.responses as JsonObject)['200'] as JsonObject).content,
      json({ $ref: '#/components/schemas/product_Product' }),
    );
    assert.deepEqual((schemas.product_Product as JsonObject).properties, {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      price: { $ref: '#/components/schemas/product_Money' },
      createdAt: { type: 'string', format: 'date-time' },
    });
    // Two services' `Money` do not clash.
    assert.deepEqual((schemas.product_Money as JsonObject).required, ['amountMinor', 'currency']);
    assert.deepEqual(schemas.cart_Money, cartDoc().components?.schemas?.Money);
    assert.deepEqual((schemas.cart_Cart as JsonObject).properties, {
      id: { type: 'string' },
      total: { $ref: '#/components/schemas/cart_Money' },
    });
    // Request bodies' references move too; unreferenced components stay behind.
    assert.ok('product_ProductInput' in schemas);
    assert.ok(!('product_NeverReferenced' in schemas));
    assert.ok(!Object.keys(schemas).some((name) => name === 'Money' || name === 'Product'));
    assert.equal(get.operationId, 'product-by-id.getProduct');
  });

  test('a versioned route with money: decimal publishes transformed copies of its response schemas', () => {
    const doc = merge();
    const schemas = doc.components?.schemas ?? {};
    const v2 = operation(doc, 'get', '/api/v2/products/{id}');
    const product = schemaOf(doc, v2, '200');
    assert.equal(product, schemas['product_products-v2_Product']);
    const price = deref(doc, (product.properties as JsonObject).price) as JsonObject;
    assert.deepEqual(Object.keys(price.properties as JsonObject), ['amount', 'currency']);
    assert.equal(((price.properties as JsonObject).amount as JsonObject).type, 'string');
    assert.deepEqual(price.required, ['amount', 'currency']);
    assert.deepEqual((product.properties as JsonObject).createdAt, {
      type: 'string',
      format: 'date-time',
      description: 'ISO-8601 UTC time',
    });
    assert.match(String(v2.description), /decimal strings/);
    assert.deepEqual(((v2.responses as JsonObject)['200'] as JsonObject).headers, {
      'API-Version': { description: 'Set by the gateway', schema: { type: 'string', const: '2' } },
    });
    // The inline list schema's items point at the transformed copy as well.
    const list = schemaOf(doc, operation(doc, 'get', '/api/v2/products'), '200');
    assert.deepEqual((list.properties as JsonObject).items, {
      type: 'array',
      items: { $ref: '#/components/schemas/product_products-v2_Product' },
    });
    // v1 (the plain route) keeps the services' shape.
    const v1 = schemaOf(doc, operation(doc, 'get', '/api/products/{id}'), '200');
    assert.deepEqual(deref(doc, (v1.properties as JsonObject).price), schemas.product_Money);
    assert.ok('amountMinor' in ((schemas.product_Money as JsonObject).properties as JsonObject));
  });

  test('response field removals and renames show in the published schema, as the transformer applies them', () => {
    const routes = [
      route({
        name: 'slim',
        match: { path: '/api/slim/**', methods: ['GET'] as never },
        rewrite: '/products/**',
        upstream: 'product',
        transform: { response: { body: { remove: ['createdAt'], rename: { name: 'title' } } } },
      }),
    ];
    const doc = merge(routes);
    const product = schemaOf(doc, operation(doc, 'get', '/api/slim/{id}'), '200');
    assert.deepEqual(Object.keys(product.properties as JsonObject), ['id', 'title', 'price']);
    assert.deepEqual(product.required, ['id', 'title', 'price']);
    // No money conversion asked: price keeps minor units (in this route's own copy).
    const price = deref(doc, (product.properties as JsonObject).price) as JsonObject;
    assert.deepEqual(price.required, ['amountMinor', 'currency']);
    assertValidOpenApi(doc);
  });

  test('adds the standard error responses without replacing the service’s own', () => {
    const doc = merge();
    const codes = (path: string, method = 'get') =>
      Object.keys(operation(doc, method, path).responses as JsonObject).sort();
    // Public, no path parameter: no 401/403/404.
    assert.deepEqual(codes('/api/products'), ['200', '400', '429', '500', '502', '503', '504']);
    // Public with a path parameter: 404 (here the service's own, kept).
    assert.deepEqual(codes('/api/products/{id}'), ['200', '400', '404', '429', '500', '502', '503', '504']);
    const responses = operation(doc, 'get', '/api/products/{id}').responses as JsonObject;
    assert.deepEqual(responses['404'], {
      description: 'No product with that id (the service says so itself)',
    });
    assert.deepEqual(responses['502'], { $ref: '#/components/responses/BadGateway' });
    // Authenticated with a body: 401, 403 and 413 too.
    assert.deepEqual(codes('/api/products/{id}/reviews', 'post'), [
      '201',
      '400',
      '401',
      '403',
      '404',
      '413',
      '429',
      '500',
      '502',
      '503',
      '504',
    ]);
    // 429 documents the rate-limit headers; every error is problem+json with the one Problem schema.
    const tooMany = deref(doc, responses['429']) as JsonObject;
    assert.deepEqual(Object.keys(tooMany.headers as JsonObject).sort(), [
      'RateLimit',
      'RateLimit-Policy',
      'Retry-After',
    ]);
    for (const name of [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'TooManyRequests',
      'InternalError',
      'BadGateway',
      'ServiceUnavailable',
      'GatewayTimeout',
    ]) {
      const r = doc.components?.responses?.[name] as JsonObject;
      assert.deepEqual(
        r.content,
        { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        name,
      );
    }
    const problem = doc.components?.schemas?.Problem as JsonObject | undefined;
    assert.deepEqual(problem?.required, ['type', 'title', 'status']);
  });

  test('an unavailable service still has its routes, marked x-unavailable', () => {
    const doc = merge();
    const one = operation(doc, 'get', '/api/users/{id}');
    assert.equal(one['x-unavailable'], true);
    assert.equal(one['x-gateway-route'], 'user-by-id');
    assert.deepEqual(one.security, [{ bearerAuth: [] }, { apiKey: [] }]);
    assert.deepEqual(one.tags, ['users']);
    assert.ok('401' in (one.responses as JsonObject) && '2XX' in (one.responses as JsonObject));
    // `/api/users/**` (any method) is published at its prefix, one entry per method; HEAD/OPTIONS are implied.
    const all = operation(doc, 'delete', '/api/users');
    assert.equal(all['x-path-pattern'], '/api/users/**');
    assert.equal(
      doc.tags?.find((t) => t.name === 'users')?.description,
      'users service (API description unavailable)',
    );
  });

  test('an operation an earlier route catches is not published; same-shape paths share one spelling', () => {
    const routes = [
      route({
        name: 'cart-by-id',
        match: { path: '/api/products/:id', methods: ['GET'] as never },
        rewrite: '/carts/:id',
        upstream: 'cart',
      }),
      route({
        name: 'products',
        match: { path: '/api/products/**', methods: ['GET'] as never },
        rewrite: '/products/**',
        upstream: 'product',
      }),
      route({
        name: 'product-delete',
        match: { path: '/api/products/:pid', methods: ['DELETE'] as never },
        rewrite: '/admin/products/:pid',
        upstream: 'product',
      }),
    ];
    const doc = merge(routes);
    assert.deepEqual(operationList(doc), [
      'DELETE /api/products/{cartId}',
      'GET /api/products',
      'GET /api/products/{cartId}',
      'GET /api/products/{id}/reviews',
    ]);
    // GET /api/products/featured and /api/products/{id} reach cart (the earlier route), so product's
    // /products/featured and /products/{id} are unreachable through `products` and absent.
    assert.equal(operation(doc, 'get', '/api/products/{cartId}')['x-gateway-route'], 'cart-by-id');
    // product's DELETE has the same shape: published under the first spelling, its parameter renamed.
    const del = operation(doc, 'delete', '/api/products/{cartId}');
    assert.equal(del['x-gateway-route'], 'product-delete');
    assert.deepEqual(del.parameters, [uuidParam('cartId')]);
    assertValidOpenApi(doc);
  });

  test('a route with a header condition shadows nothing; a split documents its heaviest upstream', () => {
    const routes = [
      route({
        name: 'products-beta',
        match: { path: '/api/products/**', headers: { 'x-version': 'beta' } },
        rewrite: '/carts/**',
        upstream: 'cart',
      }),
      route({
        name: 'products',
        match: { path: '/api/products/**', methods: ['GET'] as never },
        rewrite: '/products/**',
        upstream: [
          { upstream: 'cart', weight: 5 },
          { upstream: 'product', weight: 95 },
        ],
      }),
    ];
    const doc = merge(routes);
    // The conditional route publishes its own paths, and the plain one is not hidden by it.
    assert.equal(operation(doc, 'get', '/api/products/{cartId}')['x-gateway-route'], 'products-beta');
    assert.match(
      String(operation(doc, 'get', '/api/products/{cartId}').description),
      /only with x-version: beta/,
    );
    const featured = operation(doc, 'get', '/api/products/featured');
    assert.equal(featured['x-gateway-route'], 'products');
    assert.match(String(featured.description), /split between cart \(weight 5\), product \(weight 95\)/);
    assertValidOpenApi(doc);
  });

  test('gateway paths are published as given; the inputs are not modified', () => {
    const product = productDoc();
    const before = structuredClone(product);
    const doc = mergeOpenApi({
      title: 't',
      version: '1',
      routes: ROUTES,
      upstreams: upstreamsFor('product', 'cart', 'users'),
      documents: new Map([['product', product]]),
      gatewayPaths: {
        '/api/openapi.json': {
          get: {
            tags: ['gateway'],
            summary: 'This document',
            responses: { '200': { description: 'OpenAPI 3.1' } },
          },
        },
      },
    });
    assert.deepEqual(product, before);
    assert.equal(operation(doc, 'get', '/api/openapi.json').summary, 'This document');
    assert.ok(doc.tags?.some((t) => t.name === 'gateway'));
    assertValidOpenApi(doc);
  });

  test('the structural check itself catches dangling refs and undeclared path parameters', () => {
    const broken: OpenApiDocument = {
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: {
        '/a/{id}': { get: { responses: { '200': { $ref: '#/components/responses/Nope' } } } },
      },
    };
    assert.deepEqual(openApiProblems(broken), [
      '#/paths/~1a~1{id}/get/responses/200: $ref #/components/responses/Nope does not resolve'.replace(
        '~1a~1{id}',
        '/a/{id}',
      ),
      'GET /a/{id}: {id} not declared',
      'GET /a/{id}: response 200 has no description',
    ]);
  });
});
