// Admin routes: writes need the admin role, the read also lets support staff in (they look up
// products for customers, inactive ones included). The role comes from the verified access token.
// Each write is one transaction, optionally idempotent (Idempotency-Key), and invalidates this
// instance's read cache once committed.
// DELETE is a soft delete (active=false): reviews, carts and past orders keep pointing at a
// real row, and PATCH {"active": true} brings the product back.
import { randomUUID } from 'node:crypto';
import type { App } from '@shopnow/chassis';
import { AppError, commonErrors, fieldError, requireRoles, runWrite } from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import {
  type InputProblem,
  type Prepared,
  prepareChanges,
  prepareNewProduct,
} from '../domain/product-input.ts';
import { productErrors } from '../errors.ts';
import { publishChanges, publishCreated } from '../events/publish-product-events.ts';
import { translatingConstraints } from '../store/pg-errors.ts';
import { deactivateProduct, findProductById, insertProduct, updateProduct } from '../store/products.ts';
import type { RouteDeps } from './deps.ts';
import {
  ChangePriceBody,
  CreateProductBody,
  IdempotencyHeaders,
  IdParams,
  Product,
  UpdateProductBody,
} from './schemas.ts';

const SCOPE = 'product-admin';
const TAGS = ['admin'];
const READ_NOTE = 'Requires an access token with the admin or support role.';
const WRITE_NOTE = 'Requires an access token with the admin role.';

// The guards run on onRequest, before the body is parsed: a caller without the role learns
// nothing about what a valid body would be (401/403 before any 400).
export function registerAdminRoutes(app: App, deps: RouteDeps): void {
  app.register(async (staff: App) => {
    staff.addHook('onRequest', requireRoles('admin', 'support'));
    registerAdminReadRoutes(staff, deps);
  });
  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));
    registerAdminWriteRoutes(admin, deps);
  });
}

function registerAdminReadRoutes(staff: App, { db }: RouteDeps): void {
  staff.get(
    '/admin/products/:id',
    {
      schema: {
        summary: 'Get a product by id, inactive ones included',
        description: READ_NOTE,
        tags: TAGS,
        params: IdParams,
        response: { 200: Product },
      },
    },
    async (request) => {
      const product = await findProductById(db, request.params.id, { includeInactive: true });
      if (product === undefined) throw notFound(request.params.id);
      return product;
    },
  );
}

function registerAdminWriteRoutes(admin: App, { db, cache, events }: RouteDeps): void {
  admin.post(
    '/admin/products',
    {
      schema: {
        summary: 'Create a product',
        description: WRITE_NOTE,
        tags: TAGS,
        headers: IdempotencyHeaders,
        body: CreateProductBody,
        response: { 201: Product },
      },
    },
    async (request, reply) => {
      const id = randomUUID();
      const product = accepted(prepareNewProduct(id, request.body));
      const { body } = await runWrite(db, request, reply as FastifyReply, SCOPE, async (tx) => {
        const created = await translatingConstraints(() => insertProduct(tx, id, product));
        await publishCreated(events, tx, created);
        return { status: 201, body: created };
      });
      return reply.code(201).header('location', `/products/${body.id}`).send(body);
    },
  );

  admin.patch(
    '/admin/products/:id',
    {
      schema: {
        summary: 'Change some fields of a product (absent fields stay as they are)',
        description: WRITE_NOTE,
        tags: TAGS,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: UpdateProductBody,
        response: { 200: Product },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const changes = accepted(prepareChanges(request.body));
      const { body } = await runWrite(db, request, reply as FastifyReply, SCOPE, async (tx) => {
        const before =
          (await findProductById(tx, id, { includeInactive: true, forUpdate: true })) ?? throwNotFound(id);
        const after =
          (await translatingConstraints(() => updateProduct(tx, id, changes))) ?? throwNotFound(id);
        await publishChanges(events, tx, before, after);
        return { status: 200, body: after };
      });
      cache.invalidate(id);
      return body;
    },
  );

  admin.put(
    '/admin/products/:id/price',
    {
      schema: {
        summary: "Set a product's price (integer minor units + ISO 4217 currency)",
        description: WRITE_NOTE,
        tags: TAGS,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ChangePriceBody,
        response: { 200: Product },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const changes = accepted(prepareChanges({ price: request.body }, '/currency'));
      const { body } = await runWrite(db, request, reply as FastifyReply, SCOPE, async (tx) => {
        const before =
          (await findProductById(tx, id, { includeInactive: true, forUpdate: true })) ?? throwNotFound(id);
        const after = (await updateProduct(tx, id, changes)) ?? throwNotFound(id);
        await publishChanges(events, tx, before, after);
        return { status: 200, body: after };
      });
      cache.invalidate(id);
      return body;
    },
  );

  admin.delete(
    '/admin/products/:id',
    {
      schema: {
        summary: 'Soft-delete a product: hidden from reads and search; PATCH {"active": true} restores it',
        description: WRITE_NOTE,
        tags: TAGS,
        params: IdParams,
        headers: IdempotencyHeaders,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await runWrite(db, request, reply as FastifyReply, SCOPE, async (tx) => {
        const before =
          (await findProductById(tx, id, { includeInactive: true, forUpdate: true })) ?? throwNotFound(id);
        if (!(await deactivateProduct(tx, id))) throwNotFound(id);
        await publishChanges(events, tx, before, { ...before, active: false });
        return { status: 204, body: null };
      });
      cache.invalidate(id);
      return reply.code(204).send();
    },
  );
}

/** The prepared value, or the 4xx that names the offending field. */
function accepted<T>(prepared: Prepared<T>): T {
  if (prepared.ok) return prepared.value;
  throw problemFor(prepared.problem);
}

function problemFor({ field, message, kind }: InputProblem): AppError {
  const def =
    kind === 'currency' ? productErrors['product.invalid_currency'] : commonErrors.validation_failed;
  return fieldError(def, 'body', field, message);
}

function notFound(id: string): AppError {
  return new AppError(productErrors['product.not_found'], `No product ${id}`);
}

function throwNotFound(id: string): never {
  throw notFound(id);
}
