// What the RabbitMQ transport declares on the broker, and what it is called.
//
//   <prefix>.<domain>               topic exchange per domain (`shopnow.product`); routing key = event type
//   <prefix>.<group>                quorum queue per consumer group, bound to its types' exchanges
//   <prefix>.<group>.delay.<tier>   quorum delay queues (one per tier) of that group
//
// A retry is republished to one of the group's delay queues, whose `x-message-ttl` is the tier's
// delay and whose dead-letter target is the default exchange with the group's queue as routing
// key: when the TTL passes, the message goes back to that group's queue only, never to the other
// groups bound to the exchange.
//
// Why tiers: RabbitMQ expires messages only at the head of a queue, so one queue with per-message
// TTLs would hold a 250 ms retry behind a 30 s one. A queue whose messages all have the same TTL
// stays in expiry order. A requested delay is rounded UP to the next tier (a retry never comes
// early; it may come up to ~5x late, which is harmless for backoff), and a delay above the longest
// tier is made of several hops of it (the `x-shopnow-due` header says when it is really due).
// The runtime's backoff (200 ms doubling with jitter, capped at 30 s) mostly lands in the first
// four tiers.
//
// Nothing is dropped silently: every queue dead-letters at-least-once (quorum queues only
// dead-letter at-least-once with `x-overflow: reject-publish`), and a group queue's own dead
// letters (a delivery the transport rejected because it could not republish it, or a broker
// delivery limit) go to the group's 5 s tier, so they come back to the group after a pause
// instead of vanishing or spinning. Final dead letters are the runtime's business (it stores
// them in the service's database and acknowledges), so there is no dead-letter queue here.
import { createHash } from 'node:crypto';

export interface DelayTier {
  /** Queue-name suffix. */
  label: string;
  ms: number;
}

export const DELAY_TIERS: readonly DelayTier[] = [
  { label: '250ms', ms: 250 },
  { label: '1s', ms: 1_000 },
  { label: '5s', ms: 5_000 },
  { label: '30s', ms: 30_000 },
  { label: '2m', ms: 120_000 },
];

const LONGEST_TIER = DELAY_TIERS[DELAY_TIERS.length - 1] as DelayTier;
/** Where a group queue's own dead letters wait before they go back to it. */
const PARKING_TIER = DELAY_TIERS[2] as DelayTier;

/** The tier a delay goes to: the shortest one not shorter than it, or the longest (another hop follows). */
export function tierFor(delayMs: number): DelayTier {
  return DELAY_TIERS.find((tier) => tier.ms >= delayMs) ?? LONGEST_TIER;
}

/** The exchange of an event type: `<prefix>.<domain>`, the domain being the type's first segment. */
export function exchangeFor(prefix: string, type: string): string {
  const domain = type.split('.', 1)[0] || type;
  return `${prefix}.${domain}`;
}

// Queue names are at most 255 bytes; keep room for the delay suffix.
const MAX_GROUP_QUEUE_BYTES = 200;

/** The queue of a consumer group: `<prefix>.<group>`, shortened with a hash if too long. */
export function groupQueue(prefix: string, group: string): string {
  if (group.length === 0) throw new Error('events: a consumer group needs a name');
  const name = `${prefix}.${group}`;
  if (Buffer.byteLength(name) <= MAX_GROUP_QUEUE_BYTES) return name;
  const hash = createHash('sha256').update(group).digest('hex').slice(0, 16);
  return `${Buffer.from(name)
    .subarray(0, MAX_GROUP_QUEUE_BYTES - 17)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')}-${hash}`;
}

export function delayQueue(queue: string, tier: DelayTier): string {
  return `${queue}.delay.${tier.label}`;
}

type QueueArguments = Record<string, string | number>;

const QUORUM: QueueArguments = {
  'x-queue-type': 'quorum',
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
};

/** The group queue's arguments (the same wherever it is declared, or the broker refuses the declaration). */
export function groupQueueArguments(queue: string): QueueArguments {
  return {
    ...QUORUM,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': delayQueue(queue, PARKING_TIER),
  };
}

export function delayQueueArguments(queue: string, tier: DelayTier): QueueArguments {
  return {
    ...QUORUM,
    'x-message-ttl': tier.ms,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
  };
}
