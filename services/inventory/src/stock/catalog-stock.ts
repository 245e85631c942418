// Every product of the catalog has a stock row: created with NEW_SKU_STOCK units when the product
// is announced, and following its SKU and whether it is on sale afterwards. product.updated.v1
// carries the whole product, so one that overtakes its product.created.v1 creates the row itself.
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { initiallyAlerted } from '../domain/low-stock.ts';
import { normaliseSku } from '../domain/sku.ts';
import { applyMovements } from '../store/movements.ts';
import { followProduct, insertStock, stockOfProduct } from '../store/stock.ts';
import { announceStockLevels } from './stock-levels.ts';

export interface CatalogProduct {
  productId: string;
  sku: string;
  active: boolean;
}

export async function stockProduct(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  product: CatalogProduct,
  actor: string,
): Promise<void> {
  const sku = normaliseSku(product.sku);
  const { newSkuStock, lowStockThreshold } = ctx.settings;
  // The row starts at zero and the units arrive as the ledger's initial movement, so the ledger
  // explains every unit from the first.
  const created = await insertStock(tx, {
    sku,
    productId: product.productId,
    available: 0,
    active: product.active,
    lowAlerted: initiallyAlerted(newSkuStock, lowStockThreshold),
    // A product that comes with no stock is sold out: customers may wait for its first units.
    soldOut: newSkuStock === 0,
  });
  if (created === undefined) {
    const existing = await stockOfProduct(tx, product.productId);
    if (existing === undefined) {
      ctx.logger.warn(
        { sku, productId: product.productId },
        'another product holds this SKU; no stock row made',
      );
    }
    return;
  }
  const moved = await applyMovements(tx, [
    { sku, kind: 'initial', available: newSkuStock, reserved: 0, sold: 0, actor },
  ]);
  if (!moved.ok) throw new Error(`initial stock of ${sku} refused`);
}

export async function followCatalog(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  product: CatalogProduct,
  actor: string,
): Promise<void> {
  if ((await stockOfProduct(tx, product.productId)) === undefined) {
    await stockProduct(tx, ctx, product, actor);
    return;
  }
  const changed = await followProduct(tx, {
    productId: product.productId,
    sku: normaliseSku(product.sku),
    active: product.active,
  });
  // A sold-out product restocked while off sale is back the moment it is on sale again.
  if (changed !== undefined) await announceStockLevels(tx, ctx, [changed]);
}
