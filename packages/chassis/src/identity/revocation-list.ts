// The token service's revocations, mirrored in each service process, so a revoked session's
// access token is refused within seconds rather than when it expires (at most 15 minutes).
// Polled over HTTP rather than consumed as events: every instance needs every revocation, and a
// consumer group per instance would leave a queue behind each instance that ever ran.
import type { RevocationEntry } from '@shopnow/contracts';
import type { Logger } from 'pino';
import type { ServiceClient } from '../http-client/service-client.ts';

export const REVOCATIONS_PATH = '/revocations';

export interface RevocationPage {
  entries: RevocationEntry[];
  /** The newest `seq` the token service has; ask `after` it next time. */
  lastSeq: number;
}

export interface RevocationCheck {
  /** Whether a token with these claims was revoked. */
  isRevoked(claims: { sub: string; sid?: string | undefined; iat: number }): boolean;
}

export interface RevocationListOptions {
  client: ServiceClient;
  logger?: Pick<Logger, 'warn'>;
  /** Default 2 s. */
  pollIntervalMs?: number;
  /** The `Authorization` header for the poll (the token service serves revocations to services only). */
  authorization?: (() => Promise<string>) | undefined;
}

export class RevocationList implements RevocationCheck {
  readonly #client: ServiceClient;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #pollIntervalMs: number;
  readonly #authorization: (() => Promise<string>) | undefined;
  /** session id → when the entry can be forgotten (ms). */
  readonly #sessions = new Map<string, number>();
  /** user id → tokens issued before this (ms) are refused; and when to forget it. */
  readonly #users = new Map<string, { notBefore: number; expiresAt: number }>();
  #lastSeq = 0;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #failing = false;

  constructor(options: RevocationListOptions) {
    this.#client = options.client;
    this.#logger = options.logger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.#authorization = options.authorization;
  }

  /** First poll (errors are logged, not thrown: verification works meanwhile), then on a timer. */
  async start(): Promise<void> {
    await this.poll();
    this.#timer = setInterval(() => void this.poll(), this.#pollIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One poll now (tests call it to skip the wait). */
  poll(): Promise<void> {
    this.#polling ??= this.#pollOnce().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  isRevoked(claims: { sub: string; sid?: string | undefined; iat: number }): boolean {
    if (claims.sid !== undefined && this.#sessions.has(claims.sid)) return true;
    const user = this.#users.get(claims.sub);
    return user !== undefined && claims.iat * 1000 < user.notBefore;
  }

  async #pollOnce(): Promise<void> {
    try {
      const response = await this.#client.request<RevocationPage>({
        method: 'GET',
        path: REVOCATIONS_PATH,
        query: { after: this.#lastSeq },
        ...(this.#authorization ? { headers: { authorization: await this.#authorization() } } : {}),
      });
      if (response.status !== 200) throw new Error(`the token service answered ${response.status}`);
      this.apply(response.body);
      this.#failing = false;
    } catch (err) {
      if (!this.#failing)
        this.#logger?.warn({ err }, 'revocation list: cannot reach the token service; retrying');
      this.#failing = true;
    }
  }

  /** Merges a page of entries (exported for the token service, which applies its own). */
  apply(page: RevocationPage): void {
    const now = Date.now();
    for (const entry of page.entries) {
      const expiresAt = Date.parse(entry.expiresAt);
      if (expiresAt <= now) continue;
      if (entry.sessionId !== undefined) this.#sessions.set(entry.sessionId, expiresAt);
      if (entry.userId !== undefined && entry.notBefore !== undefined) {
        const notBefore = Date.parse(entry.notBefore);
        const known = this.#users.get(entry.userId);
        if (known === undefined || known.notBefore < notBefore)
          this.#users.set(entry.userId, { notBefore, expiresAt });
      }
    }
    this.#lastSeq = Math.max(this.#lastSeq, page.lastSeq);
    for (const [sid, expiresAt] of this.#sessions) if (expiresAt <= now) this.#sessions.delete(sid);
    for (const [user, entry] of this.#users) if (entry.expiresAt <= now) this.#users.delete(user);
  }
}
