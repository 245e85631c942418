// This process's view of the signing keys: read from the database and kept for `cacheMs`, so a
// rotation made by another replica or the admin command is picked up within seconds. Signing
// refreshes a stale view first; the JWKS and local verification read the view a timer keeps fresh.
import { ACCESS_TOKEN_ALGORITHM } from '@shopnow/contracts';
import { type CryptoKey, importJWK, type JSONWebKeySet } from 'jose';
import type pg from 'pg';
import { RETIRED_KEY_PUBLISHED_MS } from '../domain/lifetimes.ts';
import { isPublished, signingKeyOf } from '../domain/signing-key-window.ts';
import { loadSigningKeys, type SigningKeyRow } from '../store/signing-keys.ts';

export interface KeyRingOptions {
  db: pg.Pool;
  /** How long a loaded view is used before reading the table again. Default 2 s. */
  cacheMs?: number;
  /** How long a retired key stays published. Default 15 min + 60 s (tests shorten it). */
  retiredWindowMs?: number;
}

export interface Signer {
  kid: string;
  privateKey: CryptoKey;
}

export class KeyRing {
  readonly #db: pg.Pool;
  readonly #cacheMs: number;
  readonly #retiredWindowMs: number;
  #keys: SigningKeyRow[] = [];
  #loadedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #imported = new Map<string, Promise<CryptoKey>>();

  constructor(options: KeyRingOptions) {
    this.#db = options.db;
    this.#cacheMs = options.cacheMs ?? 2000;
    this.#retiredWindowMs = options.retiredWindowMs ?? RETIRED_KEY_PUBLISHED_MS;
  }

  /** Loads now, then keeps the view fresh on a timer (a failed reload keeps the last view). */
  async start(): Promise<void> {
    await this.reload();
    this.#timer = setInterval(() => void this.reload().catch(() => {}), this.#cacheMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  reload(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        const since = new Date(Date.now() - this.#retiredWindowMs);
        this.#keys = await loadSigningKeys(this.#db, since);
        this.#loadedAt = Date.now();
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }

  /** The public keys verifiers may meet: active ones and recently retired ones. */
  jwks(): JSONWebKeySet {
    const now = new Date();
    return {
      keys: this.#keys
        .filter((key) => isPublished(key, now, this.#retiredWindowMs))
        .map((key) => ({ ...key.publicJwk, kid: key.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })),
    };
  }

  /** The key that signs now. */
  async signer(): Promise<Signer> {
    if (Date.now() - this.#loadedAt >= this.#cacheMs) await this.reload();
    const key = signingKeyOf(this.#keys);
    if (key === undefined)
      throw new Error('token: no active signing key (run the service once, or rotate-keys)');
    let imported = this.#imported.get(key.kid);
    if (imported === undefined) {
      imported = importJWK(key.privateJwk, ACCESS_TOKEN_ALGORITHM) as Promise<CryptoKey>;
      this.#imported.set(key.kid, imported);
    }
    return { kid: key.kid, privateKey: await imported };
  }
}
