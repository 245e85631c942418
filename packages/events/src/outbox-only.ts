// Publishing from a one-off admin command (create an account, grant a role): events go into the
// service's outbox in the command's transaction, and the running service's relay delivers them.
// The command never talks to the bus, so it needs no bus settings; its transport refuses every use.
import type { EventCatalog } from '@shopnow/contracts';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Events } from './events.ts';
import type { Transport } from './transport.ts';

const refuse = async (): Promise<never> => {
  throw new Error('outbox-only: this process writes to the outbox; the running service relays it');
};

const outboxOnlyTransport: Transport = {
  kind: 'outbox-only',
  start: refuse,
  publish: refuse,
  declareGroup: refuse,
  consume: refuse,
  sendToGroup: refuse,
  check: refuse,
  close: async () => {},
};

/** Events that can only be published (in the caller's transaction), never relayed or consumed. */
export function outboxOnlyEvents(options: {
  service: string;
  db: pg.Pool;
  catalog: EventCatalog;
  logger: Logger;
}): Pick<Events, 'publish'> {
  return new Events({ ...options, transport: outboxOnlyTransport, relayEnabled: false });
}
