// Storing the message an event asks for, in the transaction that records the event in the inbox:
// its unique key (event id, recipient, kind) makes a redelivery a no-op; the sender takes it from
// there. A business occurrence (an order's confirmation, a refund) may stand for the event id, so
// even a producer's second event for the same fact makes no second message.
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@shopnow/contracts';
import { categoryOf, dedupeKey, type Kind } from '../domain/message-kinds.ts';
import type { Queryable } from '../store/db.ts';
import { insertMessage } from '../store/messages.ts';

export interface Addressee {
  /** The user, when known: the inbox item, preferences and (without `email`) the address. */
  userId: string | null;
  /** The address the event names (account events); else looked up from the user id when sending. */
  email: string | null;
}

export async function enqueue(
  tx: Queryable,
  event: EventEnvelope<unknown>,
  kind: Kind,
  to: Addressee,
  options: { params?: unknown; occurrence?: string } = {},
): Promise<boolean> {
  const recipient = to.userId ?? to.email;
  if (recipient === null) throw new Error(`${event.type} ${event.id}: a message needs a user id or an email`);
  return insertMessage(tx, {
    id: randomUUID(),
    dedupeKey: dedupeKey(options.occurrence ?? event.id, recipient, kind),
    kind,
    category: categoryOf(kind),
    userId: to.userId,
    toEmail: to.email,
    params: options.params ?? event.data,
    sourceEventId: event.id,
    sourceEventType: event.type,
    occurredAt: new Date(event.time),
  });
}
