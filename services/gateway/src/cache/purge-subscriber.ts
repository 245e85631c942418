// Purge by events: every catalogued event type starting with a `purgeOn` prefix (`product.`) drops
// the tags mapped to that prefix, so a changed product is gone from the cache within moments.

import type { Logger } from '@shopnow/chassis';
import { platformEvents } from '@shopnow/contracts';
import type { Delivery, Settlement, Transport } from '@shopnow/events';
import type { ResponseCache } from './response-cache.ts';

export interface CachePurgeOptions {
  /** A started transport on the event bus. */
  transport: Transport;
  /** Consumer group: one per gateway instance when the cache is in process, one shared when it is in Redis. */
  group: string;
  /** Event type prefix → tags (the route table's `purgeOn`). */
  purgeOn: Record<string, string[]>;
  cache: ResponseCache;
  logger: Logger;
  /** Event types to choose from. Default: `platformEvents().types`. */
  eventTypes?: readonly string[];
}

/** When a purge fails (Redis down), the event comes back after this. */
const PURGE_RETRY_MS = 1000;

/**
 * Subscribes `group` to the purging event types and purges on each delivery. Malformed payloads
 * are acknowledged with a warning (a purge cannot be rebuilt from them); a purge the store refuses
 * is retried. With no matching event type, subscribes to nothing.
 */
export async function startCachePurge(options: CachePurgeOptions): Promise<{ close(): Promise<void> }> {
  const { purgeOn, cache, logger, group } = options;
  const prefixes = Object.keys(purgeOn);
  const types = (options.eventTypes ?? platformEvents().types).filter((type) =>
    prefixes.some((prefix) => type.startsWith(prefix)),
  );
  if (types.length === 0) {
    if (prefixes.length > 0) logger.warn({ prefixes }, 'response cache: no event type matches purgeOn');
    return { close: async () => {} };
  }

  const handle = async (delivery: Delivery): Promise<Settlement> => {
    const type = eventTypeOf(delivery.payload);
    if (type === undefined) {
      logger.warn({ consumer_group: group }, 'response cache: malformed purge event ignored');
      return { outcome: 'ack' };
    }
    const tags = tagsFor(type, purgeOn);
    if (tags.length === 0) return { outcome: 'ack' };
    try {
      await cache.purgeTags(tags);
      logger.debug({ event_type: type, tags }, 'response cache: purged by event');
      return { outcome: 'ack' };
    } catch (err) {
      logger.warn({ err, event_type: type, tags }, 'response cache: purge failed; the event will be retried');
      return { outcome: 'retry', delayMs: PURGE_RETRY_MS };
    }
  };

  const consumer = await options.transport.consume({ group, types, concurrency: 4 }, handle);
  logger.info({ consumer_group: group, types }, 'response cache: purging on events');
  return consumer;
}

/** The tags of every prefix the event type starts with. */
export function tagsFor(type: string, purgeOn: Record<string, string[]>): string[] {
  const tags = new Set<string>();
  for (const [prefix, prefixTags] of Object.entries(purgeOn)) {
    if (type.startsWith(prefix)) for (const tag of prefixTags) tags.add(tag);
  }
  return [...tags];
}

/**
 * The envelope's `type`. A delivery is JSON text or bytes (RabbitMQ, pg-boss) or a decoded value
 * (a pg-boss job inserted by hand); the runtime's own decoding is not exported by @shopnow/events,
 * and a purge needs only the type, so this reads just that.
 */
function eventTypeOf(payload: unknown): string | undefined {
  let value: unknown = payload;
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && type.length > 0 ? type : undefined;
}
