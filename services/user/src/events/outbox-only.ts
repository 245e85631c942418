// Publishing from a one-off admin command: events go into the outbox in the command's
// transaction, and the running service's relay delivers them. The command itself never talks
// to the broker, so it needs no bus settings; this transport refuses every use.
import type { Logger } from '@shopnow/chassis';
import { Events, type Transport } from '@shopnow/events';
import type pg from 'pg';
import { userCatalog } from './catalog.ts';

const unused = (): never => {
  throw new Error('outbox-only: this process writes to the outbox; the service relays it');
};

const outboxOnlyTransport: Transport = {
  kind: 'outbox-only',
  start: async () => unused(),
  publish: async () => unused(),
  consume: async () => unused(),
  sendToGroup: async () => unused(),
  check: async () => unused(),
  close: async () => {},
};

export function outboxOnlyEvents(service: string, db: pg.Pool, logger: Logger): Pick<Events, 'publish'> {
  return new Events({
    service,
    db,
    transport: outboxOnlyTransport,
    catalog: userCatalog,
    logger,
    relayEnabled: false,
  });
}
