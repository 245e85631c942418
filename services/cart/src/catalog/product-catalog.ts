// Product existence and price, from the product service through the chassis's resilient client
// (time budget, retries, circuit breaker, bulkhead). Every answer is remembered, so while the
// product service is down the cart still prices a product it has seen, at the price it last knew;
// the line records when that price was true, so a price change after it is still applied when
// its event arrives. The catalog is always asked first: a remembered price is only a fallback.
import { AppError, commonErrors, type Logger, type ServiceClient, UpstreamError } from '@shopnow/chassis';
import { LRUCache } from 'lru-cache';
import type { Money } from '../domain/cart.ts';
import type { PricedProduct } from '../domain/cart-changes.ts';

export const PRODUCT_SERVICE = 'product';

export interface ProductLookup {
  /** The product as the catalog sells it now, or undefined when unknown or off sale. */
  find(productId: string): Promise<PricedProduct | undefined>;
  /** A price change heard from the catalog's events: a remembered product takes it if newer. */
  notePrice(productId: string, price: Money, asOf: number): void;
}

export interface ProductCatalogOptions {
  client: ServiceClient;
  /** Products remembered for the fallback. */
  maxEntries: number;
  /**
   * How stale an answer of the product service may be (its own read cache): a line priced from an
   * answer is taken as true only this long before the call, so a price change in that window is
   * still applied when its event arrives.
   */
  maxStalenessMs: number;
  logger?: Pick<Logger, 'warn'> | undefined;
  now?: () => number;
}

interface ProductBody {
  id: string;
  sku: string;
  name: string;
  price: Money;
  active: boolean;
}

export class ProductCatalog implements ProductLookup {
  readonly #client: ServiceClient;
  readonly #known: LRUCache<string, PricedProduct>;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #now: () => number;
  readonly #maxStalenessMs: number;

  constructor(options: ProductCatalogOptions) {
    this.#client = options.client;
    this.#known = new LRUCache({ max: options.maxEntries });
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#maxStalenessMs = options.maxStalenessMs;
  }

  async find(productId: string): Promise<PricedProduct | undefined> {
    const key = productId.toLowerCase();
    const asOf = this.#now() - this.#maxStalenessMs;
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = await this.#client.request({
        method: 'GET',
        path: `/products/${encodeURIComponent(key)}`,
      }));
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      return this.#fallback(key, err);
    }
    if (status === 404) {
      // Unknown, or no longer on sale (the product service answers 404 for inactive products).
      this.#known.delete(key);
      return undefined;
    }
    if (status >= 500)
      return this.#fallback(key, new AppError(commonErrors.unavailable, `product answered ${status}`));
    const product = status === 200 ? parseProduct(body) : undefined;
    if (product === undefined) {
      throw new AppError(commonErrors.bad_gateway, `The product service answered ${status} unexpectedly`);
    }
    if (!product.active) {
      this.#known.delete(key);
      return undefined;
    }
    const priced = { productId: key, sku: product.sku, name: product.name, price: product.price, asOf };
    this.#known.set(key, priced);
    return priced;
  }

  notePrice(productId: string, price: Money, asOf: number): void {
    const key = productId.toLowerCase();
    const known = this.#known.get(key);
    if (known !== undefined && known.asOf < asOf) this.#known.set(key, { ...known, price, asOf });
  }

  #fallback(productId: string, err: AppError): PricedProduct {
    const known = this.#known.get(productId);
    if (known === undefined) throw err;
    this.#logger?.warn(
      { productId, reason: err.message },
      'product service unavailable: using the remembered product',
    );
    return known;
  }
}

function parseProduct(body: unknown): ProductBody | undefined {
  const b = body as Partial<ProductBody> | null;
  if (
    typeof b?.id !== 'string' ||
    typeof b.sku !== 'string' ||
    typeof b.name !== 'string' ||
    typeof b.active !== 'boolean' ||
    !Number.isSafeInteger(b.price?.amountMinor) ||
    typeof b.price?.currency !== 'string'
  ) {
    return undefined;
  }
  return {
    id: b.id,
    sku: b.sku,
    name: b.name,
    active: b.active,
    price: { amountMinor: b.price.amountMinor, currency: b.price.currency },
  };
}
