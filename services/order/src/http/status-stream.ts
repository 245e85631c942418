// GET /orders/:id/events: the order's status as server-sent events, live. The first event is the
// current status; then one per change, whichever instance of the service made it (the status
// listener hears every instance's NOTIFY). Each event's id is the order's version, so a client
// reconnecting with Last-Event-ID gets only what is newer, and nothing is sent twice.
import type { App } from '@shopnow/chassis';
import { requireUser } from '@shopnow/chassis';
import { findOrder, type OrderRecord } from '../store/orders.ts';
import type { StatusChange } from '../store/status-notify.ts';
import { visible } from './access.ts';
import type { RouteDeps } from './deps.ts';
import { OrderParams } from './schemas.ts';

/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

export function registerStatusStream(app: App, { db, listener }: RouteDeps): void {
  const open = new Set<() => void>();
  // Streams never end by themselves: shutdown ends them so the drain does not wait for clients.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/orders/:id/events',
    {
      onRequest: requireUser,
      schema: {
        summary: "An order's status changes as server-sent events (event: status; id: version)",
        description:
          'text/event-stream. The first event is the current status. Send Last-Event-ID to resume.',
        tags: ['orders'],
        params: OrderParams,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      // Listening before the one read: a change committed meanwhile is either in what the read
      // returns or heard (and held until the stream is open); versions keep it from being sent twice.
      let held: StatusChange[] | undefined = [];
      let send = (change: StatusChange): void => {
        held?.push(change);
      };
      let resyncWanted = false;
      let resync = () => {
        resyncWanted = true;
      };
      const unsubscribe = listener.subscribe(id, {
        change: (change) => send(change),
        resync: () => resync(),
      });
      let order: OrderRecord;
      try {
        order = visible(request.identity, id, await findOrder(db, id));
      } catch (err) {
        unsubscribe();
        throw err;
      }
      const resumeFrom = Number(request.headers['last-event-id']);
      let last = Number.isSafeInteger(resumeFrom) && resumeFrom > 0 ? resumeFrom : 0;

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
        'x-request-id': String(request.id),
      });
      send = (change: StatusChange) => {
        if (change.version <= last || raw.destroyed) return;
        last = change.version;
        raw.write(`id: ${change.version}\nevent: status\ndata: ${JSON.stringify(change)}\n\n`);
      };
      // After a lost listener connection, changes may have been missed: read the order again.
      resync = () =>
        void findOrder(db, id)
          .catch(() => undefined)
          .then((now) => {
            if (now !== undefined) send(changeOf(now));
          });
      send(changeOf(order));
      for (const change of held ?? []) send(change);
      held = undefined;
      if (resyncWanted) resync();
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        if (!raw.destroyed) raw.end();
      };
      open.add(end);
      raw.on('close', end);
      // The client may have gone while the order was read: its close has been and gone.
      if (raw.destroyed) end();
    },
  );
}

function changeOf(order: {
  id: string;
  status: StatusChange['status'];
  version: number;
  cancelReason: string | null;
  updatedAt: Date;
}): StatusChange {
  return {
    orderId: order.id,
    status: order.status,
    version: order.version,
    reason: order.cancelReason,
    at: order.updatedAt.toISOString(),
  };
}
