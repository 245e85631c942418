// Hears every order status change made by any instance of the service (LISTEN on the order
// database; the saga NOTIFYs at commit) and hands each to the streams open on this instance for
// that order. One connection per instance, whatever the number of open streams. When the
// connection is lost it reconnects (every second until it is back) and tells every stream to
// re-read its order, so a change made meanwhile is not missed.
import type { Logger } from '@shopnow/chassis';
import type pg from 'pg';
import { STATUS_CHANNEL, type StatusChange } from '../store/status-notify.ts';

export interface StatusSubscriber {
  /** A change of the order, as notified. */
  change(change: StatusChange): void;
  /** Notifications may have been missed: read the order again. */
  resync(): void;
}

export class StatusListener {
  readonly #db: pg.Pool;
  readonly #logger: Logger;
  readonly #subscribers = new Map<string, Set<StatusSubscriber>>();
  #client: pg.PoolClient | undefined;
  /** Gives #client back to the pool, once: the error handler, a failed LISTEN and stop() may all try. */
  #release: (err?: Error) => void = () => {};
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #connected?: (() => void) | undefined;

  constructor(db: pg.Pool, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    this.#running = true;
    await this.#listen();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    const client = this.#client;
    const release = this.#release;
    this.#client = undefined;
    if (client === undefined) return;
    try {
      await client.query(`UNLISTEN ${STATUS_CHANNEL}`);
      release();
    } catch (err) {
      release(err as Error);
    }
  }

  get listening(): boolean {
    return this.#client !== undefined;
  }

  /** Resolves once the listener holds its connection (tests, and a stream opened at start). */
  async ready(): Promise<void> {
    if (this.#client !== undefined) return;
    await new Promise<void>((resolve) => {
      this.#connected = resolve;
    });
  }

  subscribe(orderId: string, subscriber: StatusSubscriber): () => void {
    let set = this.#subscribers.get(orderId);
    if (set === undefined) {
      set = new Set();
      this.#subscribers.set(orderId, set);
    }
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.#subscribers.get(orderId) === set) this.#subscribers.delete(orderId);
    };
  }

  async #listen(): Promise<void> {
    if (!this.#running || this.#client !== undefined) return;
    let release: ((err?: Error) => void) | undefined;
    try {
      const held = await this.#db.connect();
      let released = false;
      release = (err?: Error) => {
        if (released) return;
        released = true;
        held.release(err);
      };
      const releaseHeld = release;
      held.on('notification', (message) => this.#deliver(message.payload));
      held.on('error', (err) => {
        // Also after stop() or a failed LISTEN gave it back: the pool no longer watches it then.
        if (this.#client !== held && released) return;
        this.#logger.warn({ err }, 'order status listener lost its connection; reconnecting');
        if (this.#client === held) this.#client = undefined;
        releaseHeld(err);
        this.#retry();
      });
      await held.query(`LISTEN ${STATUS_CHANNEL}`);
      this.#client = held;
      this.#release = releaseHeld;
      const wasDown = this.#timer !== undefined;
      this.#timer = undefined;
      this.#connected?.();
      this.#connected = undefined;
      if (wasDown) this.#resyncAll();
    } catch (err) {
      release?.(err as Error);
      this.#logger.warn({ err }, 'order status listener unavailable; retrying');
      this.#retry();
    }
  }

  #retry(): void {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#listen(), 1000);
    this.#timer.unref();
  }

  #deliver(payload: string | undefined): void {
    let change: StatusChange;
    try {
      change = JSON.parse(payload ?? '') as StatusChange;
    } catch {
      this.#logger.warn({ payload }, 'unreadable order status notification');
      return;
    }
    for (const subscriber of this.#subscribers.get(change.orderId) ?? []) subscriber.change(change);
  }

  #resyncAll(): void {
    for (const set of this.#subscribers.values()) for (const subscriber of set) subscriber.resync();
  }
}
