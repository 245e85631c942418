// What the cart operations need: where carts are kept, where products are priced, the settings
// and the clock (tests move it to reach idle expiry).
import type { Logger } from '@shopnow/chassis';
import type { ProductLookup } from './catalog/product-catalog.ts';
import type { CartStore } from './store/cart-store.ts';

export interface CartSettings {
  /** A cart the customer has not changed for this long is gone (CART_IDLE_DAYS). */
  idleMs: number;
  /** The currency of an empty cart's subtotal (CART_CURRENCY). */
  emptyCurrency: string;
}

export interface CartContext {
  store: CartStore;
  products: ProductLookup;
  settings: CartSettings;
  now: () => number;
  logger: Logger;
}
