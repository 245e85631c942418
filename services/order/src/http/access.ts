// Who may see an order: its customer, or staff (admin, support). Anyone else gets 404, the same
// answer as for an id nobody has, so a stranger cannot learn whether an order exists.
import { hasRole, type Identity } from '@shopnow/chassis';
import { orderNotFound } from '../errors.ts';
import type { OrderRecord } from '../store/orders.ts';

export function mayRead(identity: Identity | undefined, order: OrderRecord): boolean {
  if (identity?.kind !== 'user') return false;
  return identity.userId.toLowerCase() === order.userId || hasRole(identity, 'admin', 'support');
}

/** The order if the caller may see it, else the 404 a stranger gets. */
export function visible(
  identity: Identity | undefined,
  id: string,
  order: OrderRecord | undefined,
): OrderRecord {
  if (order === undefined || !mayRead(identity, order)) throw orderNotFound(id);
  return order;
}
