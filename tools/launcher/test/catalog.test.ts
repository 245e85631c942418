import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICES, servicePort } from '../src/catalog.ts';
import type { Secrets } from '../src/home/secrets.ts';

// The catalog's wiring: who gets the card processor's keys and address, and start order.

const secrets = {
  paymentProvider: { secretKey: 'sk_test_x', publishableKey: 'pk_test_y' },
} as unknown as Secrets;
const ports = { basePort: 4100, gatewayPort: 8080 };
const urlOf = (name: string) =>
  `http://127.0.0.1:${servicePort(ports, SERVICES.find((s) => s.name === name)!, 0)}`;
const wired = (name: string) => SERVICES.find((s) => s.name === name)?.wiredEnv?.({ secrets, urlOf }) ?? {};

describe('the launcher catalog', () => {
  it('the processor gets both its keys; payment its secret key and address; order the secret key', () => {
    assert.deepEqual(wired('payment-provider'), {
      PROVIDER_SECRET_KEY: 'sk_test_x',
      PROVIDER_PUBLISHABLE_KEY: 'pk_test_y',
    });
    assert.deepEqual(wired('payment'), {
      PROVIDER_URL: 'http://127.0.0.1:4200',
      PROVIDER_SECRET_KEY: 'sk_test_x',
    });
    assert.deepEqual(wired('order'), { PROVIDER_SECRET_KEY: 'sk_test_x' });
    for (const service of SERVICES.filter(
      (s) => !['payment-provider', 'payment', 'order'].includes(s.name),
    )) {
      assert.ok(!('PROVIDER_SECRET_KEY' in wired(service.name)), `${service.name} gets no processor key`);
    }
  });

  it("notification's links lead to the public entry", () => {
    assert.deepEqual(wired('notification'), { WEB_BASE_URL: 'http://127.0.0.1:8080' });
  });

  it('names only known services to start after, and every database name can name a role', () => {
    const names = new Set(SERVICES.map((s) => s.name));
    for (const service of SERVICES) {
      for (const after of service.startAfter ?? [])
        assert.ok(names.has(after), `${service.name} after ${after}`);
      if (service.database) assert.match(service.databaseName ?? service.name, /^[a-z][a-z0-9_]*$/);
    }
  });
});
