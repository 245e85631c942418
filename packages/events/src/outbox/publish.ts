import { randomUUID } from 'node:crypto';
import {
  ContractViolation,
  type EventCatalog,
  type EventContract,
  type EventData,
  type EventEnvelope,
} from '@shopnow/contracts';
import type pg from 'pg';
import { currentTraceparent } from '../trace-context.ts';

/**
 * The channel the relay listens on. An insert into the outbox notifies it (a trigger, see the
 * migration); NOTIFY is transactional, so it fires at commit.
 */
export const OUTBOX_CHANNEL = 'shopnow_outbox';

export interface NewEvent<TData> {
  /** The aggregate the event is about (a product id). */
  subject: string;
  data: TData;
}

/**
 * Writes the event to the outbox in the caller's transaction: it is relayed if and only if that
 * transaction commits. Publish after the change it describes (the row lock taken by the change is
 * what orders two events of one subject). An event its contract refuses throws ContractViolation,
 * a programming error, before anything is written.
 */
export async function writeToOutbox<C extends EventContract>(
  tx: pg.ClientBase,
  catalog: EventCatalog,
  source: string,
  contract: C,
  event: NewEvent<EventData<C>>,
): Promise<EventEnvelope<EventData<C>>> {
  if (catalog.get(contract.type) !== contract) {
    throw new ContractViolation(contract.type, ['not in this service catalog']);
  }
  const traceparent = currentTraceparent();
  const envelope: EventEnvelope<EventData<C>> = {
    specversion: '1.0',
    id: randomUUID(),
    type: contract.type,
    source,
    time: new Date().toISOString(),
    subject: event.subject,
    datacontenttype: 'application/json',
    ...(traceparent === undefined ? {} : { traceparent }),
    data: event.data,
  };
  const problems = catalog.problems(envelope);
  if (problems.length > 0) throw new ContractViolation(contract.type, problems);
  // Named: parsed and planned once per connection, not on every publish.
  await tx.query({
    name: 'shopnow_events_outbox_insert',
    text: 'insert into outbox (id, type, subject, body) values ($1, $2, $3, $4)',
    values: [envelope.id, envelope.type, envelope.subject, JSON.stringify(envelope)],
  });
  return envelope;
}
