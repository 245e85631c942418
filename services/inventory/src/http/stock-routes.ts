// Admin stock routes: the list (cursor paging, low filter), one SKU with its recent movements,
// restock, adjustment and threshold. The admin role comes from the verified access token and is
// checked before the body is read. Every write is one transaction (Idempotency-Key accepted) that
// locks the SKU's row, moves counts through the ledger and sends stock_low on a crossing.
import { type App, AppError, commonErrors, requireRoles, runWrite } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { decodeSkuCursor, encodeSkuCursor } from '../domain/cursor.ts';
import type { Movement } from '../domain/movement.ts';
import { normaliseSku } from '../domain/sku.ts';
import { inventoryErrors, skuNotFound } from '../errors.ts';
import { announceStockLevels } from '../stock/stock-levels.ts';
import { applyMovements, recentMovements } from '../store/movements.ts';
import { findStock, listStock, lockStock, type StockRow, setThreshold } from '../store/stock.ts';
import { actorOf, writeScope } from './admin-scope.ts';
import type { RouteDeps } from './deps.ts';
import {
  AdjustmentBody,
  NoQuery,
  RECENT_MOVEMENTS,
  RestockBody,
  SkuParams,
  Stock,
  StockDetail,
  StockListQuery,
  StockPage,
  ThresholdBody,
  WriteHeaders,
} from './schemas.ts';
import { movementView, stockView } from './views.ts';

const TAGS = ['stock (admin)'];
const NOTE = 'Requires an access token with the admin role.';
const ONE = '/inventory/stock/:sku';

export function registerStockRoutes(app: App, deps: RouteDeps): void {
  app.register(async (admin: App) => {
    admin.addHook('onRequest', requireRoles('admin'));
    registerReads(admin, deps);
    registerWrites(admin, deps);
  });
}

function registerReads(admin: App, { db, ctx }: RouteDeps): void {
  const defaultThreshold = ctx.settings.lowStockThreshold;
  admin.get(
    '/inventory/stock',
    {
      schema: {
        summary: 'Stock of every SKU, by SKU; ?low=true for those below their threshold',
        description: NOTE,
        tags: TAGS,
        querystring: StockListQuery,
        response: { 200: StockPage },
      },
    },
    async (request) => {
      const { limit = 50, cursor, low = false } = request.query;
      const afterSku = cursor === undefined ? undefined : decodeSkuCursor(cursor);
      if (cursor !== undefined && afterSku === undefined) {
        throw new AppError(inventoryErrors['inventory.invalid_cursor'], 'cursor is not one this list made');
      }
      const rows = await listStock(db, { afterSku, limit: limit + 1, lowOnly: low, defaultThreshold });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => stockView(row, defaultThreshold)),
        nextCursor: rows.length > limit && last !== undefined ? encodeSkuCursor(last.sku) : null,
      };
    },
  );

  admin.get(
    ONE,
    {
      schema: {
        summary: "One SKU's counts, threshold and most recent movements",
        description: NOTE,
        tags: TAGS,
        params: SkuParams,
        querystring: NoQuery,
        response: { 200: StockDetail },
      },
    },
    async (request) => {
      const sku = normaliseSku(request.params.sku);
      const row = await findStock(db, sku);
      if (row === undefined) throw skuNotFound(sku);
      const movements = await recentMovements(db, sku, RECENT_MOVEMENTS);
      return { ...stockView(row, defaultThreshold), movements: movements.map(movementView) };
    },
  );
}

function registerWrites(admin: App, { db, ctx }: RouteDeps): void {
  const defaultThreshold = ctx.settings.lowStockThreshold;
  /** Runs `change` on the locked row of the request's SKU; answers the SKU's stock after it. */
  const onSku = async (
    request: FastifyRequest,
    reply: FastifyReply,
    sku: string,
    change: (tx: pg.PoolClient, row: StockRow) => Promise<StockRow>,
  ) => {
    const { body } = await runWrite(db, request, reply, writeScope(request), async (tx) => {
      const [row] = await lockStock(tx, [sku]);
      if (row === undefined) throw skuNotFound(sku);
      return { status: 200, body: stockView(await change(tx, row), defaultThreshold) };
    });
    return body;
  };
  /** Restock or adjustment: `units` into (or out of) available, never below 0 (409). */
  const supply = (
    request: FastifyRequest,
    reply: FastifyReply,
    change: { sku: string; kind: 'restock' | 'adjustment'; units: number; reason: string },
  ) =>
    onSku(request, reply, normaliseSku(change.sku), async (tx, row) => {
      const movement: Movement = {
        sku: row.sku,
        kind: change.kind,
        available: change.units,
        reserved: 0,
        sold: 0,
        reason: change.reason.trim(),
        actor: actorOf(request),
      };
      const moved = await applyMovements(tx, [movement]);
      if (!moved.ok) {
        throw new AppError(
          inventoryErrors['inventory.insufficient_stock'],
          `${row.sku} has ${row.available} available; available can never go below 0`,
          { available: row.available },
        );
      }
      await announceStockLevels(tx, ctx, moved.rows);
      return moved.rows[0] as StockRow;
    });

  admin.post(
    `${ONE}/restock`,
    {
      schema: {
        summary: 'Add received units to available stock',
        description: NOTE,
        tags: TAGS,
        params: SkuParams,
        querystring: NoQuery,
        headers: WriteHeaders,
        body: RestockBody,
        response: { 200: Stock },
      },
    },
    async (request, reply) =>
      supply(request, reply, {
        sku: request.params.sku,
        kind: 'restock',
        units: request.body.quantity,
        reason: request.body.reason,
      }),
  );

  admin.post(
    `${ONE}/adjustments`,
    {
      schema: {
        summary: 'Correct available stock up or down (a count, damage, loss), with a reason',
        description: `${NOTE} Available can never go below 0: such an adjustment is refused with 409.`,
        tags: TAGS,
        params: SkuParams,
        querystring: NoQuery,
        headers: WriteHeaders,
        body: AdjustmentBody,
        response: { 200: Stock },
      },
    },
    async (request, reply) =>
      supply(request, reply, {
        sku: request.params.sku,
        kind: 'adjustment',
        units: request.body.delta,
        reason: request.body.reason,
      }),
  );

  admin.put(
    `${ONE}/threshold`,
    {
      schema: {
        summary: "Set the SKU's own low-stock threshold (null: the service default)",
        description: `${NOTE} A threshold that puts available below it sends stock_low, once.`,
        tags: TAGS,
        params: SkuParams,
        querystring: NoQuery,
        headers: WriteHeaders,
        body: ThresholdBody,
        response: { 200: Stock },
      },
    },
    async (request, reply) =>
      onSku(request, reply, normaliseSku(request.params.sku), async (tx, row) => {
        const updated = await setThreshold(tx, row.sku, request.body.threshold);
        if (updated === undefined) throw new AppError(commonErrors.conflict, `${row.sku} changed meanwhile`);
        await announceStockLevels(tx, ctx, [updated]);
        return updated;
      }),
  );
}
