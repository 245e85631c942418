import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICES, servicePort } from '../src/catalog.ts';
import { portClaims } from '../src/runtime/replica-plan.ts';
import { connectHost, serviceEnv } from '../src/runtime/service-env.ts';
import { Teardown } from '../src/runtime/teardown.ts';
import { loadSettings } from '../src/settings.ts';
import { recordingProgress } from './helpers.ts';

// The gateway is the edge: the one process on a public address; everything else on loopback.

const events = { EVENTS_TRANSPORT: 'postgres', BUS_DATABASE_URL: 'postgres://bus@127.0.0.1/bus' } as const;

describe('the edge in the launcher', () => {
  it('the catalog has exactly one edge, the gateway, and it is the entry', () => {
    const edges = SERVICES.filter((s) => s.edge);
    assert.deepEqual(
      edges.map((s) => s.name),
      ['gateway'],
    );
    assert.deepEqual(
      SERVICES.filter((s) => s.entryPath).map((s) => s.name),
      ['gateway'],
    );
  });

  it('the edge listens on the gateway port (+ replica); services on their loopback block', () => {
    const ports = { basePort: 4100, gatewayPort: 8080 };
    const gateway = SERVICES.find((s) => s.name === 'gateway')!;
    const product = SERVICES.find((s) => s.name === 'product')!;
    assert.deepEqual(
      [servicePort(ports, gateway, 0), servicePort(ports, gateway, 1), servicePort(ports, product, 1)],
      [8080, 8081, 4111],
    );
    const slots = SERVICES.filter((s) => !s.edge).map((s) => s.slot);
    assert.equal(new Set(slots).size, slots.length, 'no two services share a port block');
  });

  it('claims the gateway port on its own host, named by SHOPNOW_GATEWAY_PORT', () => {
    const settings = loadSettings({ SHOPNOW_GATEWAY_PORT: '9000' }, '/repo');
    const claims = portClaims(settings, SERVICES, Object.fromEntries(SERVICES.map((s) => [s.name, 2])));
    assert.deepEqual(
      claims.filter((c) => c.owner.startsWith('gateway')),
      [
        { port: 9000, owner: 'gateway-1', envVar: 'SHOPNOW_GATEWAY_PORT', host: '0.0.0.0' },
        { port: 9001, owner: 'gateway-2', envVar: 'SHOPNOW_GATEWAY_PORT', host: '0.0.0.0' },
      ],
    );
    assert.ok(claims.filter((c) => !c.owner.startsWith('gateway')).every((c) => c.host === undefined));
  });

  it('gives the edge its host and a callable advertised URL; services stay on loopback', () => {
    const edge = serviceEnv(
      {},
      { instanceId: 'gateway-1', port: 8080, host: '0.0.0.0', registryUrl: 'x', events },
    );
    assert.equal(edge.HOST, '0.0.0.0');
    assert.equal(edge.ADVERTISE_URL, 'http://127.0.0.1:8080');
    const service = serviceEnv(
      { HOST: '0.0.0.0' },
      { instanceId: 'user-1', port: 4140, registryUrl: 'x', events },
    );
    assert.equal(service.HOST, '127.0.0.1', "the launcher's own HOST never opens a service to the network");
    assert.equal(connectHost('::'), '[::1]');
    assert.equal(connectHost('192.168.1.5'), '192.168.1.5');
    assert.equal(connectHost('fe80::1'), '[fe80::1]');
  });

  it('stops the edge before everything else, whenever it was adopted', async () => {
    const order: string[] = [];
    const teardown = new Teardown(recordingProgress().progress);
    const step = (name: string) => ({ name, run: async () => void order.push(name) });
    teardown.adopt(step('postgres'));
    teardown.adopt(step('gateway'), { first: true });
    teardown.adopt(step('product'));
    teardown.adopt(step('user'));
    await teardown.run();
    assert.deepEqual(order, ['gateway', 'user', 'product', 'postgres']);
  });
});
