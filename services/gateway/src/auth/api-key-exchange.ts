// An API key (X-API-Key) becomes a short-lived access token at the token service, once per key
// while the token lasts: every later request with the key is verified locally like a bearer token.
import { createHash } from 'node:crypto';
import type { ServiceClient } from '@shopnow/chassis';
import { LRUCache } from 'lru-cache';

export interface ExchangedToken {
  accessToken: string;
  /** When to exchange again (ms since epoch): a little before the token expires. */
  renewAtMs: number;
}

export type ExchangeOutcome = { ok: true; token: ExchangedToken } | { ok: false; status: 401 | 403 };

const EXCHANGE_PATH = '/api-keys/exchange';
// A refused key is remembered briefly, so a client retrying a bad key cannot hammer the token service.
const REFUSAL_TTL_MS = 5_000;
const RENEW_BEFORE_EXPIRY_MS = 30_000;
const MAX_KEY_LENGTH = 256;

export class ApiKeyExchange {
  readonly #client: ServiceClient;
  readonly #now: () => number;
  readonly #cache = new LRUCache<string, ExchangeOutcome>({ max: 10_000 });
  readonly #inFlight = new Map<string, Promise<ExchangeOutcome>>();

  constructor(options: { client: ServiceClient; now?: () => number }) {
    this.#client = options.client;
    this.#now = options.now ?? Date.now;
  }

  /** The access token for `apiKey`; concurrent calls for one key share one exchange. */
  exchange(apiKey: string): Promise<ExchangeOutcome> {
    if (apiKey.length === 0 || apiKey.length > MAX_KEY_LENGTH)
      return Promise.resolve({ ok: false, status: 401 });
    // Keys are secrets: only their digest is kept in memory as the cache key.
    const id = createHash('sha256').update(apiKey).digest('base64url');
    const cached = this.#cache.get(id);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.#inFlight.get(id);
    if (pending === undefined) {
      pending = this.#fetch(apiKey, id).finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, pending);
    }
    return pending;
  }

  async #fetch(apiKey: string, id: string): Promise<ExchangeOutcome> {
    const response = await this.#client.request<{ accessToken?: string; expiresIn?: number }>({
      method: 'POST',
      path: EXCHANGE_PATH,
      headers: { 'x-api-key': apiKey },
    });
    if (response.status === 401 || response.status === 403) {
      const outcome: ExchangeOutcome = { ok: false, status: response.status };
      this.#cache.set(id, outcome, { ttl: REFUSAL_TTL_MS });
      return outcome;
    }
    const { accessToken, expiresIn } = response.body ?? {};
    if (response.status !== 200 || typeof accessToken !== 'string' || typeof expiresIn !== 'number') {
      throw new Error(`token service answered ${response.status} to an API key exchange`);
    }
    const lifetimeMs = Math.max(1_000, expiresIn * 1000 - RENEW_BEFORE_EXPIRY_MS);
    const outcome: ExchangeOutcome = {
      ok: true,
      token: { accessToken, renewAtMs: this.#now() + lifetimeMs },
    };
    this.#cache.set(id, outcome, { ttl: lifetimeMs });
    return outcome;
  }
}
