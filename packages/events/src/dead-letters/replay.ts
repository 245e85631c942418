import { withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import type { Transport } from '../transport.ts';
import { getDeadLetter, markReplayed } from './store.ts';

export type ReplayResult = 'replayed' | 'not_found' | 'already_replayed';

/**
 * Puts a dead letter back on its consumer group's queue (that group only), as a first attempt,
 * and marks it replayed. Sent before it is marked: a crash in between may replay it twice,
 * which the group's inbox makes harmless; the reverse order could lose it.
 */
export async function replayDeadLetter(db: pg.Pool, transport: Transport, id: string): Promise<ReplayResult> {
  const letter = await getDeadLetter(db, id);
  if (letter === undefined) return 'not_found';
  if (letter.replayedAt !== null) return 'already_replayed';
  await transport.sendToGroup(letter.consumerGroup, {
    id: letter.eventId ?? `dead-letter-${letter.id}`,
    type: letter.eventType ?? 'unknown',
    subject: subjectOf(letter.payload),
    body: letter.payload,
  });
  const marked = await withTransaction(db, (tx) => markReplayed(tx, id));
  return marked ? 'replayed' : 'already_replayed';
}

function subjectOf(payload: string): string {
  try {
    const { subject } = JSON.parse(payload) as { subject?: unknown };
    return typeof subject === 'string' ? subject : 'unknown';
  } catch {
    return 'unknown';
  }
}
