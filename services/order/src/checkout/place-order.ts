// POST /orders, once its Idempotency-Key is held: the lines (given, or the cart's), every product
// priced from the catalog, the address from the customer's profile, the card token checked at the
// processor; then the order is stored (pending) and the saga's first step published, in the
// caller's transaction. Any refusal throws before anything is written.
import { randomUUID } from 'node:crypto';
import { AppError, type UserIdentity } from '@shopnow/chassis';
import type { OrderLine } from '@shopnow/contracts';
import type pg from 'pg';
import type { OrderContext } from '../context.ts';
import { mergeLines, type RequestedLine } from '../domain/order-lines.ts';
import { priceOrder } from '../domain/pricing.ts';
import { orderErrors } from '../errors.ts';
import { startCheckout } from '../saga/checkout-saga.ts';
import { insertOrder, type OrderRecord } from '../store/orders.ts';
import { addressOf } from '../upstream/addresses.ts';
import { checkCardToken } from '../upstream/card-tokens.ts';
import { cartOf } from '../upstream/cart.ts';
import { productsOnSale } from '../upstream/catalog.ts';
import type { Upstreams } from '../upstream/clients.ts';

export interface PlaceOrder {
  caller: UserIdentity;
  /** The customer's own Authorization header, forwarded to profile and cart. */
  authorization: string;
  cardToken: string;
  addressId: string;
  /** Absent: the customer's cart. */
  lines?: RequestedLine[] | undefined;
}

export async function placeOrder(
  tx: pg.ClientBase,
  ctx: OrderContext,
  upstreams: Upstreams,
  request: PlaceOrder,
): Promise<OrderRecord> {
  const { caller, authorization } = request;
  const { cartId, requested } = await linesToOrder(upstreams, request);
  const merged = mergeLines(requested);
  if (!merged.ok) throw new AppError(orderErrors['order.invalid_lines'], merged.problem);
  const ids = merged.lines.map((line) => line.productId);

  const [products, address, token] = await Promise.all([
    productsOnSale(upstreams.product, ids),
    addressOf(upstreams.profile, { userId: caller.userId, authorization }, request.addressId),
    checkCardToken(upstreams.provider, upstreams.providerSecretKey, request.cardToken, caller.userId),
  ]);
  const unavailable = ids.filter((id) => !products.has(id));
  if (unavailable.length > 0) {
    throw new AppError(orderErrors['order.product_unavailable'], `Not on sale: ${unavailable.join(', ')}`, {
      products: unavailable,
    });
  }
  if (address === undefined) {
    throw new AppError(orderErrors['order.address_not_found'], `You have no address ${request.addressId}`);
  }
  if (!token.ok) throw new AppError(orderErrors['order.card_token_invalid'], token.why);

  const lines: OrderLine[] = merged.lines.map(({ productId, quantity }) => {
    const product = products.get(productId) as NonNullable<ReturnType<typeof products.get>>;
    return { productId, sku: product.sku, name: product.name, quantity, unitPrice: product.price };
  });
  const currencies = new Set(lines.map((line) => line.unitPrice.currency));
  if (currencies.size > 1) {
    throw new AppError(orderErrors['order.mixed_currencies'], `Priced in ${[...currencies].join(' and ')}`);
  }
  const totals = priceOrder(
    lines.map((line) => ({ quantity: line.quantity, unitPriceMinor: line.unitPrice.amountMinor })),
    address.country,
  );
  const order = await insertOrder(
    tx,
    {
      id: randomUUID(),
      userId: caller.userId,
      status: 'pending',
      cartId,
      cardToken: request.cardToken,
      currency: [...currencies][0] as string,
      ...totals,
      shippingAddress: address,
      waitSeconds: ctx.settings.stockTimeoutSeconds,
    },
    lines,
  );
  await startCheckout(tx, ctx, order);
  return order;
}

async function linesToOrder(
  upstreams: Upstreams,
  request: PlaceOrder,
): Promise<{ cartId: string | null; requested: RequestedLine[] }> {
  if (request.lines !== undefined) return { cartId: null, requested: request.lines };
  const cart = await cartOf(upstreams.cart, { authorization: request.authorization });
  if (cart.lines.length === 0) throw new AppError(orderErrors['order.cart_empty'], 'Your cart is empty');
  return { cartId: cart.cartId, requested: cart.lines };
}
