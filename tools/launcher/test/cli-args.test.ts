import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand } from '../src/args.ts';
import { LauncherError } from '../src/errors.ts';
import { DEFAULT_PORTS, loadSettings } from '../src/settings.ts';

describe('command line', () => {
  it('parses start with replicas and --logs', () => {
    assert.deepEqual(parseCommand(['start', '--replicas', 'product=2,cart=3', '--logs']), {
      name: 'start',
      replicas: { product: 2, cart: 3 },
      logs: true,
    });
    assert.deepEqual(parseCommand(['start', '--replicas=product=2', '--replicas', 'cart=1']), {
      name: 'start',
      replicas: { product: 2, cart: 1 },
      logs: false,
    });
    assert.deepEqual(parseCommand(['status', '--json']), { name: 'status', json: true });
    assert.deepEqual(parseCommand([]), { name: 'help' });
  });

  it('refuses what it does not understand with one clear message', () => {
    for (const [argv, message] of [
      [['start', '--replicas', 'product'], /--replicas expects service=count/],
      [['start', '--replicas', 'product=two'], /--replicas expects service=count/],
      [['start', '--verbose'], /Unknown option '--verbose'/],
      [['launch'], /unknown command "launch"/],
    ] as const) {
      assert.throws(
        () => parseCommand([...argv]),
        (err: unknown) => err instanceof LauncherError && message.test(err.message),
      );
    }
  });
});

describe('launcher settings', () => {
  it('defaults to <repo>/.shopnow and the documented ports', () => {
    const settings = loadSettings({}, '/repo');
    assert.equal(settings.home, '/repo/.shopnow');
    assert.equal(settings.paths.pgData, '/repo/.shopnow/pg');
    assert.equal(settings.paths.secrets, '/repo/.shopnow/secrets.json');
    assert.deepEqual(
      [settings.launcherPort, settings.pgPort, settings.basePort, settings.gatewayPort],
      [DEFAULT_PORTS.launcher, DEFAULT_PORTS.pg, DEFAULT_PORTS.base, 8080],
    );
    assert.equal(settings.gatewayHost, '0.0.0.0', 'the gateway is the one process reachable from outside');
  });

  it('moves the gateway with SHOPNOW_GATEWAY_PORT and SHOPNOW_GATEWAY_HOST', () => {
    const settings = loadSettings(
      { SHOPNOW_GATEWAY_PORT: '9090', SHOPNOW_GATEWAY_HOST: '127.0.0.1' },
      '/repo',
    );
    assert.equal(settings.gatewayPort, 9090);
    assert.equal(settings.gatewayHost, '127.0.0.1');
    assert.equal(loadSettings({ SHOPNOW_GATEWAY_HOST: 'shop.local' }, '/repo').gatewayHost, 'shop.local');
    assert.throws(
      () => loadSettings({ SHOPNOW_GATEWAY_HOST: 'http://0.0.0.0:80' }, '/repo'),
      /SHOPNOW_GATEWAY_HOST must be an IP address or a host name/,
    );
    assert.throws(() => loadSettings({ SHOPNOW_GATEWAY_PORT: '0' }, '/repo'), /SHOPNOW_GATEWAY_PORT/);
  });

  it('passes SHOPNOW_PG_SETTINGS to PostgreSQL as name=value settings, refusing any other form', () => {
    assert.deepEqual(loadSettings({}, '/repo').pgSettings, []);
    assert.deepEqual(
      loadSettings({ SHOPNOW_PG_SETTINGS: ' shared_buffers=256MB  pg_stat_statements.track=all\n' }, '/repo')
        .pgSettings,
      ['shared_buffers=256MB', 'pg_stat_statements.track=all'],
    );
    for (const bad of ['shared_buffers', '-c=1', 'a=1 =2', 'x;y=1']) {
      assert.throws(
        () => loadSettings({ SHOPNOW_PG_SETTINGS: bad }, '/repo'),
        /SHOPNOW_PG_SETTINGS takes name=value settings separated by spaces/,
        bad,
      );
    }
  });

  it('names the variable and what it wants when a value is bad', () => {
    assert.throws(
      () => loadSettings({ SHOPNOW_PG_PORT: 'abc' }, '/repo'),
      (err: unknown) =>
        err instanceof LauncherError &&
        err.message === 'config: SHOPNOW_PG_PORT must be a port number 1-65535 (got "abc")',
    );
    assert.throws(
      () => loadSettings({ SHOPNOW_BASE_PORT: '65500' }, '/repo'),
      /SHOPNOW_BASE_PORT leaves no room/,
    );
  });
});
