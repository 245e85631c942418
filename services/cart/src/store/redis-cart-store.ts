// The Redis store (REDIS_URL): a hash per cart (`v` version, `cart` JSON), an owner index per
// user or token hash, a set of carts per product (re-pricing) and a sorted set by last activity
// (idle sweep). Every change is a compare-and-set through redis-commit.ts, retried on conflict.
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, commonErrors } from '@shopnow/chassis';
import { Redis } from 'ioredis';
import type { Cart } from '../domain/cart.ts';
import { MAX_CART_LINES } from '../domain/limits.ts';
import { assertStorable, type CartChange, CartContendedError, type CartStore } from './cart-store.ts';
import { type CommitPlan, defineCommit, emptyPlan } from './redis-commit.ts';

export interface RedisCartStoreOptions {
  url: string;
  /** Prefix of every key, so carts can share a Redis with others. Default `cart:`. */
  prefix?: string;
  /** Bound on each command: a hung Redis fails the request (503) instead of hanging it. Default 2 s. */
  commandTimeoutMs?: number;
}

// Conflicts mean another change to the same cart won; a few quick retries settle any real contention.
const MAX_ATTEMPTS = 20;

export class RedisCartStore implements CartStore {
  readonly #client: Redis;
  readonly #commit: (plan: CommitPlan) => Promise<boolean>;
  readonly #p: string;

  constructor(options: RedisCartStoreOptions) {
    this.#p = options.prefix ?? 'cart:';
    this.#client = new Redis(options.url, {
      commandTimeout: options.commandTimeoutMs ?? 2000,
      maxRetriesPerRequest: 2,
      // Reconnect for ever, backing off to 2 s: Redis coming back must heal the service by itself.
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    // Errors surface on the commands that fail; the connection's own events are not crashes.
    this.#client.on('error', () => {});
    const commit = defineCommit(this.#client);
    this.#commit = (plan) => reachable(() => commit(plan));
  }

  #cart = (id: string) => `${this.#p}c:${id}`;
  #owner = (cart: Pick<Cart, 'userId' | 'tokenHash'>) =>
    cart.userId !== null ? `${this.#p}u:${cart.userId.toLowerCase()}` : `${this.#p}t:${cart.tokenHash}`;
  #product = (productId: string) => `${this.#p}p:${productId.toLowerCase()}`;
  get #active() {
    return `${this.#p}active`;
  }

  async insert(cart: Cart): Promise<Cart> {
    assertStorable(cart, MAX_CART_LINES);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const plan = emptyPlan();
      plan.absent.push(this.#owner(cart), this.#cart(cart.id));
      plan.writes.push(this.#write(cart));
      plan.sets.push({ key: this.#owner(cart), value: cart.id });
      plan.zadds.push({ key: this.#active, score: String(cart.activeAt), member: cart.id });
      for (const line of cart.lines) plan.sadds.push({ key: this.#product(line.productId), member: cart.id });
      if (await this.#commit(plan)) return cart;
      const existing = await this.#byOwner(this.#owner(cart));
      if (existing !== undefined) return existing;
      if ((await this.#load(cart.id)) !== undefined) throw new Error(`cart ${cart.id} exists already`);
    }
    throw new CartContendedError(cart.id);
  }

  findById(id: string): Promise<Cart | undefined> {
    return this.#load(id);
  }

  findByUser(userId: string): Promise<Cart | undefined> {
    return this.#byOwner(this.#owner({ userId, tokenHash: null }));
  }

  findByTokenHash(tokenHash: string): Promise<Cart | undefined> {
    return this.#byOwner(this.#owner({ userId: null, tokenHash }));
  }

  async update(id: string, change: CartChange): Promise<Cart | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.#load(id);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next === current) return current;
      const saved = { ...next, version: current.version + 1 };
      assertStorable(saved, MAX_CART_LINES);
      const plan = emptyPlan();
      plan.checks.push({ key: this.#cart(id), version: current.version });
      this.#saveInto(plan, current, saved);
      if (await this.#commit(plan)) return saved;
      await backoff(attempt);
    }
    throw new CartContendedError(id);
  }

  async merge(
    targetId: string,
    sourceId: string,
    combine: (target: Cart, source: Cart) => Cart,
  ): Promise<Cart | undefined> {
    if (targetId === sourceId) return undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [target, source] = await Promise.all([this.#load(targetId), this.#load(sourceId)]);
      if (target === undefined || source === undefined) return undefined;
      const saved = { ...combine(target, source), version: target.version + 1 };
      assertStorable(saved, MAX_CART_LINES);
      const plan = emptyPlan();
      plan.checks.push(
        { key: this.#cart(targetId), version: target.version },
        { key: this.#cart(sourceId), version: source.version },
      );
      this.#saveInto(plan, target, saved);
      this.#deleteInto(plan, source);
      if (await this.#commit(plan)) return saved;
      await backoff(attempt);
    }
    throw new CartContendedError(targetId);
  }

  async delete(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await this.#deleteIfUnchanged(id, () => true)) return true;
      if ((await this.#load(id)) === undefined) return false;
      await backoff(attempt);
    }
    throw new CartContendedError(id);
  }

  async cartsHoldingProduct(productId: string): Promise<string[]> {
    return (await reachable(() => this.#client.smembers(this.#product(productId)))).sort();
  }

  async deleteIdle(before: number, limit: number): Promise<number> {
    const ids = await reachable(() =>
      this.#client.zrangebyscore(this.#active, '-inf', String(before), 'LIMIT', 0, limit),
    );
    let deleted = 0;
    for (const id of ids) {
      // A cart changed since the scan (activeAt moved on) or by another sweeper is skipped.
      if (await this.#deleteIfUnchanged(id, (cart) => cart.activeAt <= before)) deleted++;
      else if ((await this.#load(id)) === undefined)
        await reachable(() => this.#client.zrem(this.#active, id));
    }
    return deleted;
  }

  async check(): Promise<void> {
    await this.#client.ping();
  }

  async close(): Promise<void> {
    await this.#client.quit().catch(() => this.#client.disconnect());
  }

  async #deleteIfUnchanged(id: string, when: (cart: Cart) => boolean): Promise<boolean> {
    const cart = await this.#load(id);
    if (cart === undefined || !when(cart)) return false;
    const plan = emptyPlan();
    plan.checks.push({ key: this.#cart(id), version: cart.version });
    this.#deleteInto(plan, cart);
    return this.#commit(plan);
  }

  #write(cart: Cart) {
    // Lines in the order they were added, as the Postgres store returns them.
    const lines = cart.lines.toSorted(
      (a, b) => a.addedAt - b.addedAt || (a.productId < b.productId ? -1 : 1),
    );
    return {
      key: this.#cart(cart.id),
      version: String(cart.version),
      json: JSON.stringify({ ...cart, lines }),
    };
  }

  #saveInto(plan: CommitPlan, before: Cart, after: Cart): void {
    plan.writes.push(this.#write(after));
    plan.zadds.push({ key: this.#active, score: String(after.activeAt), member: after.id });
    const had = new Set(before.lines.map((line) => line.productId));
    const has = new Set(after.lines.map((line) => line.productId));
    for (const productId of has) {
      if (!had.has(productId)) plan.sadds.push({ key: this.#product(productId), member: after.id });
    }
    for (const productId of had) {
      if (!has.has(productId)) plan.srems.push({ key: this.#product(productId), member: after.id });
    }
  }

  #deleteInto(plan: CommitPlan, cart: Cart): void {
    plan.dels.push(this.#cart(cart.id), this.#owner(cart));
    plan.zrems.push({ key: this.#active, member: cart.id });
    for (const line of cart.lines) plan.srems.push({ key: this.#product(line.productId), member: cart.id });
  }

  async #load(id: string): Promise<Cart | undefined> {
    const [version, json] = await reachable(() => this.#client.hmget(this.#cart(id), 'v', 'cart'));
    if (version == null || json == null) return undefined;
    const cart = JSON.parse(json) as Cart;
    // A cart saved before keys were kept has none.
    return { ...cart, appliedKeys: cart.appliedKeys ?? [], version: Number(version) };
  }

  async #byOwner(ownerKey: string): Promise<Cart | undefined> {
    const id = await reachable(() => this.#client.get(ownerKey));
    return id === null ? undefined : this.#load(id);
  }
}

/** Redis down or hanging is the service being unavailable (503), never an internal error (500). */
async function reachable<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (err) {
    throw new AppError(commonErrors.unavailable, 'The cart store (Redis) is unavailable', undefined, {
      cause: err,
    });
  }
}

function backoff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(50, 2 ** attempt));
}
