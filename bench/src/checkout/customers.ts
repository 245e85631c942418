// Customers for the benchmark, made as real ones are (e2e/src/shoppers.ts: register, log in, add
// an address, each with its own client address), each with single-use card tokens made ahead at
// the card processor, so no tokenization runs while a phase is measured.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiCall } from '../../../e2e/src/api-client.ts';
import { type CardProcessor, TEST_CARDS } from '../../../e2e/src/card-processor.ts';
import { registerShopper, type Shopper } from '../../../e2e/src/shoppers.ts';
import { type BucketSpec, CallerBudget } from './budget.ts';

export interface Customer {
  shopper: Shopper;
  /** Unused card tokens (a token pays once). */
  cardTokens: string[];
  budget: CallerBudget;
}

/** Runs `task(i)` for i in 0..count-1, `concurrency` at a time. */
export async function inParallel<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

const TOKENIZE_CONCURRENCY = 8;
const ATTEMPTS = 5;

/**
 * `work` again after a 5xx or a failed connection (a loaded machine: a health check that timed out
 * takes an instance out of the gateway's rotation for a moment); other failures at once.
 */
async function retried<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt >= ATTEMPTS || !/: 5\d\d |fetch failed/.test(message)) throw err;
      await sleep(1000 * attempt);
    }
  }
}

/** `count` customers with `tokensEach` card tokens each (the succeeding test card). */
export async function prepareCustomers(
  api: ApiCall,
  processor: CardProcessor,
  opts: { count: number; tokensEach: number; bucket: BucketSpec; concurrency: number },
): Promise<Customer[]> {
  // Registration is argon2id twice (register, login): a few at once is what the machine takes.
  const shoppers = await inParallel(opts.count, opts.concurrency, () => retried(() => registerShopper(api)));
  return inParallel(opts.count, TOKENIZE_CONCURRENCY, async (i) => {
    const shopper = shoppers[i] as Shopper;
    const cardTokens: string[] = [];
    for (let t = 0; t < opts.tokensEach; t++) {
      cardTokens.push(await retried(() => processor.tokenize(TEST_CARDS.succeeds, shopper.userId)));
    }
    return { shopper, cardTokens, budget: new CallerBudget(opts.bucket, Date.now()) };
  });
}

/**
 * Hands out customers who may place an order now (a token in their checkout bucket and a card
 * token left), least recently used first, so the load spreads over all of them.
 */
export class CustomerPool {
  readonly #queue: Customer[];

  constructor(customers: Customer[]) {
    this.#queue = [...customers];
  }

  /** A customer who can order now, or undefined; the bucket token is taken. */
  take(nowMs: number): Customer | undefined {
    for (let i = 0; i < this.#queue.length; i++) {
      const customer = this.#queue[i] as Customer;
      if (customer.cardTokens.length === 0) continue;
      if (!customer.budget.tryTake(nowMs)) continue;
      this.#queue.splice(i, 1);
      this.#queue.push(customer);
      return customer;
    }
    return undefined;
  }

  /** Ms until some customer can order (Infinity when every card token is spent). */
  waitMs(nowMs: number): number {
    let wait = Number.POSITIVE_INFINITY;
    for (const customer of this.#queue) {
      if (customer.cardTokens.length > 0) wait = Math.min(wait, customer.budget.waitMs(nowMs));
    }
    return wait;
  }
}
