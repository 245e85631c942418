// A transport for one-off admin commands: they only write events to the outbox (in their
// transaction) and never relay them; the running service's relay sends them on. Anything that
// would touch a broker is a programming error here.
import type { Transport } from '@shopnow/events';

const refuse = async (): Promise<never> => {
  throw new Error('outbox-only transport: the running auth service relays the outbox');
};

export const outboxOnlyTransport: Transport = {
  kind: 'outbox-only',
  start: refuse,
  publish: refuse,
  consume: refuse,
  sendToGroup: refuse,
  check: refuse,
  close: async () => {},
};
