// Small real HTTP servers that answer as the product, profile and cart services do (their public
// API, the parts the order service reads), and the real payment-provider process. Test fixtures
// of other services' APIs, not mocks of a datastore: the order service talks to them over HTTP
// through its resilient client exactly as in production.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { freePort, serviceScripts, type TestDatabase, testDatabase } from '@shopnow/testkit';

export interface FixtureProduct {
  id: string;
  sku: string;
  name: string;
  price: { amountMinor: number; currency: string };
  active: boolean;
}

export interface FixtureAddress {
  id: string;
  userId: string;
  country: string;
}

/** The user id inside a bearer token (the fixture trusts the order service to have verified it). */
function userOfToken(authorization: string | undefined): string | undefined {
  const jwt = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  const payload = jwt?.split('.')[1];
  if (payload === undefined) return undefined;
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string }).sub;
}

export class ShopFixture {
  readonly products = new Map<string, FixtureProduct>();
  readonly addresses = new Map<string, FixtureAddress>();
  /** Carts by user id. */
  readonly carts = new Map<string, { id: string; lines: Array<{ productId: string; quantity: number }> }>();
  /** Paths requested, to prove what the order service asked for. */
  readonly requests: string[] = [];
  url = '';
  #server: Server | undefined;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.requests.push(`${req.method} ${req.url}`);
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, {
          'content-type': status < 400 ? 'application/json' : 'application/problem+json',
        });
        res.end(JSON.stringify(body));
      };
      const notFound = () => answer(404, { status: 404, code: 'not_found' });
      const url = new URL(req.url ?? '/', 'http://fixture');
      const caller = userOfToken(req.headers.authorization);
      let m = /^\/products\/([^/]+)$/.exec(url.pathname);
      if (m) {
        const product = this.products.get(m[1] as string);
        // Like the product service: inactive products are not found.
        return product?.active ? answer(200, { ...product, slug: product.sku.toLowerCase() }) : notFound();
      }
      m = /^\/profiles\/([^/]+)\/addresses\/([^/]+)$/.exec(url.pathname);
      if (m) {
        // Like the profile service: a user reads only their own addresses; anything else is 404.
        const address = this.addresses.get(m[2] as string);
        if (caller === undefined) return answer(401, { status: 401, code: 'unauthorized' });
        if (address === undefined || address.userId !== m[1] || caller !== m[1]) return notFound();
        return answer(200, {
          id: address.id,
          userId: address.userId,
          label: null,
          recipientName: 'Ada Lovelace',
          line1: '1 Analytical Way',
          line2: null,
          city: 'London',
          region: null,
          postalCode: 'N1 1AA',
          country: address.country,
          phone: null,
          isDefaultShipping: true,
          isDefaultBilling: true,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        });
      }
      if (url.pathname === '/carts/me') {
        if (caller === undefined) return answer(401, { status: 401, code: 'unauthorized' });
        const cart = this.carts.get(caller) ?? { id: randomUUID(), lines: [] };
        return answer(200, { ...cart, itemCount: cart.lines.length, updatedAt: new Date().toISOString() });
      }
      return notFound();
    });
    const port = await freePort();
    await new Promise<void>((resolve) => this.#server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  addProduct(overrides: Partial<FixtureProduct> = {}): FixtureProduct {
    const id = overrides.id ?? randomUUID();
    const product: FixtureProduct = {
      id,
      sku: `SKU-${id.slice(0, 8).toUpperCase()}`,
      name: `Product ${id.slice(0, 8)}`,
      price: { amountMinor: 1999, currency: 'EUR' },
      active: true,
      ...overrides,
    };
    this.products.set(id, product);
    return product;
  }

  addAddress(userId: string, country = 'DE'): FixtureAddress {
    const address = { id: randomUUID(), userId, country };
    this.addresses.set(address.id, address);
    return address;
  }

  /** `product=…,profile=…,cart=…` for StaticDiscovery / SERVICE_URLS. */
  get serviceUrls(): string {
    return ['product', 'profile', 'cart'].map((name) => `${name}=${this.url}`).join(',');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

// ---- the real payment-provider process ----

export const PROVIDER_SECRET = 'sk_test_order_tests_0123456789';
const PUBLISHABLE = 'pk_test_order_tests_0123456789';
/** The card processor's entry points: the payment-provider service as the launcher runs it, never imported. */
const provider = serviceScripts(new URL('../../payment-provider/src/', import.meta.url));

export interface ProviderProcess {
  url: string;
  db: TestDatabase;
  /** A card token made by the shopper's browser for `customer` (4242…: succeeds). */
  tokenize(customer: string | null, number?: string): Promise<string>;
  /** Lets a token's 15 minutes pass (its expiry moved into the past in the processor's ledger). */
  expire(tokenId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startProviderProcess(): Promise<ProviderProcess> {
  const db = await testDatabase();
  try {
    await provider.migrate({ DATABASE_URL: db.url });
    const running = await provider.start(
      {
        DATABASE_URL: db.url,
        LOG_LEVEL: 'warn',
        PROVIDER_SECRET_KEY: PROVIDER_SECRET,
        PROVIDER_PUBLISHABLE_KEY: PUBLISHABLE,
      },
      { readyTimeoutMs: 30_000 },
    );
    const { url } = running;
    return {
      url,
      db,
      async tokenize(customer, number = '4242 4242 4242 4242') {
        const res = await fetch(`${url}/v1/tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${PUBLISHABLE}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            card: { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123' },
            ...(customer === null ? {} : { customer }),
          }),
        });
        assert.equal(res.status, 201, await res.clone().text());
        return ((await res.json()) as { id: string }).id;
      },
      async expire(tokenId) {
        const { rowCount } = await db.pool.query(
          `UPDATE tokens SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 minute'
           WHERE id = $1`,
          [tokenId],
        );
        assert.equal(rowCount, 1);
      },
      async close() {
        await running.stop();
        await db.drop();
      },
    };
  } catch (err) {
    await db.drop();
    throw err;
  }
}
