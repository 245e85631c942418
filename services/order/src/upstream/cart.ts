// The lines of an order placed from the cart: the cart service's GET /carts/me, read with the
// customer's own token (forwarded), so the order service needs no special right to read carts.
import type { ServiceClient } from '@shopnow/chassis';
import type { RequestedLine } from '../domain/order-lines.ts';
import { unusable } from './answers.ts';

export interface CustomerCart {
  cartId: string;
  lines: RequestedLine[];
}

interface CartBody {
  id: string;
  lines: Array<{ productId: string; quantity: number }>;
}

export async function cartOf(
  client: ServiceClient,
  caller: { authorization: string },
): Promise<CustomerCart> {
  const res = await client.request<CartBody>({
    method: 'GET',
    path: '/carts/me',
    headers: { authorization: caller.authorization },
  });
  // No cart yet is an empty cart.
  if (res.status === 404) return { cartId: '', lines: [] };
  if (res.status !== 200) throw unusable('cart', res);
  return {
    cartId: res.body.id,
    lines: res.body.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
  };
}
