// GET /orders/:id/events across replicas: two instances of the service on one database; a stream
// opened on one sees the changes the other makes (LISTEN/NOTIFY), the first event is the current
// status, Last-Event-ID resumes, and only the order's customer (or staff) may open it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { App } from '@shopnow/chassis';
import { InventoryStockReservedV1 } from '@shopnow/contracts';
import { customer, deliver, type OrderFixture, placeOrder, startOrder } from './helpers.ts';

let f: OrderFixture;
let replica: App;
let replicaUrl: string;
before(async () => {
  f = await startOrder();
  replica = await f.addInstance();
  replicaUrl = await replica.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await f?.close();
});

interface StatusEvent {
  id: string;
  data: { orderId: string; status: string; version: number; reason: string | null };
}

/** Opens the stream and collects its events until `until` says stop (or the timeout). */
async function follow(
  orderId: string,
  headers: Record<string, string>,
  until: (events: StatusEvent[]) => boolean,
  act: () => Promise<void> = async () => {},
): Promise<StatusEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 15_000);
  const res = await fetch(`${replicaUrl}/orders/${orderId}/events`, { headers, signal: abort.signal });
  assert.equal(res.status, 200);
  assert.match(String(res.headers.get('content-type')), /^text\/event-stream/);
  const events: StatusEvent[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let acted = false;
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
        );
        if (fields.event === 'status')
          events.push({ id: String(fields.id), data: JSON.parse(String(fields.data)) });
      }
      if (!acted && events.length > 0) {
        acted = true;
        await act();
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

describe('status stream', () => {
  it('opened on one replica, it sees the changes the other replica and the saga make', async () => {
    const c = await customer(f);
    const product = f.shop.addProduct();
    const placed = await placeOrder(f, c, { lines: [{ productId: product.id, quantity: 1 }] });
    assert.equal(placed.statusCode, 202);
    const { orderId } = placed.json();
    const events = await follow(
      orderId,
      c.headers,
      (seen) => seen.some((e) => e.data.status === 'cancelled'),
      async () => {
        await deliver(f, InventoryStockReservedV1, 'inventory', {
          orderId,
          lines: [{ sku: product.sku, quantity: 1 }],
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
        });
        // The cancel goes through the first instance, the stream is on the replica.
        const cancel = await f.app.inject({
          method: 'POST',
          url: `/orders/${orderId}/cancel`,
          headers: c.headers,
        });
        assert.equal(cancel.statusCode, 200);
      },
    );
    assert.deepEqual(
      events.map((e) => [e.id, e.data.status, e.data.reason]),
      [
        ['1', 'pending', null],
        ['2', 'awaiting_payment', null],
        ['3', 'cancelled', 'customer_request'],
      ],
    );
  });

  it('Last-Event-ID resumes after what the client saw', async () => {
    const c = await customer(f);
    const product = f.shop.addProduct();
    const { orderId } = (await placeOrder(f, c, { lines: [{ productId: product.id, quantity: 1 }] })).json();
    await f.app.inject({ method: 'POST', url: `/orders/${orderId}/cancel`, headers: c.headers });
    const events = await follow(orderId, { ...c.headers, 'last-event-id': '1' }, (seen) => seen.length >= 1);
    assert.deepEqual(
      events.map((e) => [e.id, e.data.status]),
      [['2', 'cancelled']],
    );
  });

  it("another customer's order: 404; no token: 401", async () => {
    const c = await customer(f);
    const product = f.shop.addProduct();
    const { orderId } = (await placeOrder(f, c, { lines: [{ productId: product.id, quantity: 1 }] })).json();
    const stranger = await customer(f);
    const res = await fetch(`${replicaUrl}/orders/${orderId}/events`, { headers: stranger.headers });
    assert.equal(res.status, 404);
    assert.match(String(res.headers.get('content-type')), /problem\+json/);
    assert.equal((await fetch(`${replicaUrl}/orders/${randomUUID()}/events`)).status, 401);
  });
});
