// Events in a service's tests, as the other services would send them and as the events package
// stores them: a CloudEvents envelope published on the bus, the inbox's record that the service
// handled one, and what the service wrote to its outbox.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EventContract, EventEnvelope } from '@shopnow/contracts';
import type pg from 'pg';

/**
 * What publishOnBus needs of a transport: structurally @shopnow/events' Transport, which testkit
 * does not import (the events package's own tests depend on testkit).
 */
export interface BusPublisher {
  publish(
    messages: ReadonlyArray<{ id: string; type: string; subject: string; body: string }>,
  ): Promise<void>;
}

export interface BusEvent {
  /** The producing service (`order`). */
  source: string;
  subject: string;
  data: unknown;
  /** The envelope's id; a fresh one unless given (to deliver the same event twice). */
  id?: string | undefined;
  /** When the producer committed it; now unless given. */
  time?: Date | undefined;
}

/**
 * Publishes `event.data` as `event.source` would, in a CloudEvents envelope; resolves to the
 * event id. The data must pass `contract`, so a test cannot feed the service an event its real
 * producer could never send.
 */
export async function publishOnBus(
  transport: BusPublisher,
  contract: EventContract,
  event: BusEvent,
): Promise<string> {
  assert.deepEqual(contract.problems(event.data), [], `test event breaks ${contract.type}`);
  const id = event.id ?? randomUUID();
  const envelope = {
    specversion: '1.0',
    id,
    type: contract.type,
    source: event.source,
    time: (event.time ?? new Date()).toISOString(),
    subject: event.subject,
    datacontenttype: 'application/json',
    data: event.data,
  };
  await transport.publish([
    { id, type: contract.type, subject: event.subject, body: JSON.stringify(envelope) },
  ]);
  return id;
}

/** Whether the service's inbox records `eventId` as handled (by `group`, when given). */
export async function handled(pool: pg.Pool, eventId: string, group?: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    'SELECT 1 FROM inbox WHERE event_id = $1 AND ($2::text IS NULL OR consumer_group = $2)',
    [eventId, group ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** The envelopes in the service's outbox, oldest first, optionally of one type and/or subject. */
export async function outboxEvents(
  pool: pg.Pool,
  filter: { type?: string | undefined; subject?: string | undefined } = {},
): Promise<Array<EventEnvelope<Record<string, unknown>>>> {
  const { rows } = await pool.query<{ body: string }>(
    `SELECT body FROM outbox WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR subject = $2)
     ORDER BY seq`,
    [filter.type ?? null, filter.subject ?? null],
  );
  return rows.map((row) => JSON.parse(row.body));
}

/** The data of the outbox's events of `contract`, oldest first, optionally of one subject. */
export async function published(
  pool: pg.Pool,
  contract: EventContract,
  subject?: string,
): Promise<Array<Record<string, unknown>>> {
  return (await outboxEvents(pool, { type: contract.type, subject })).map((event) => event.data);
}
