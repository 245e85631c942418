// inventory.back_in_stock.v1 is sent once per return: a SKU is marked sold out when its available
// stock reaches 0, and the first time units are available again while the product is on sale,
// the mark is cleared and the event sent. A product off sale keeps its mark; units that arrived
// meanwhile are announced when it is put on sale again.

export interface SoldOutState {
  available: number;
  soldOut: boolean;
  active: boolean;
}

export type SoldOutTransition = 'sold_out' | 'back_in_stock' | 'none';

export function soldOutTransition({ available, soldOut, active }: SoldOutState): SoldOutTransition {
  if (available === 0) return soldOut ? 'none' : 'sold_out';
  return soldOut && active ? 'back_in_stock' : 'none';
}
