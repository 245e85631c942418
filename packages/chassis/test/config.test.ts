import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  baseConfigSpec,
  ConfigError,
  loadConfig,
  makeValidator,
  port,
  postgresUrl,
  str,
} from '../src/config.ts';

const fixture = fileURLToPath(new URL('./fixtures/config-service.ts', import.meta.url));

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('defaults fill the base config and values are parsed to their types', () => {
  const config = loadConfig(baseConfigSpec, { PORT: '4110', DATABASE_POOL_MAX: '4' });
  assert.equal(config.PORT, 4110);
  assert.equal(config.HOST, '0.0.0.0');
  assert.equal(config.DATABASE_POOL_MAX, 4);
  assert.equal(config.BODY_LIMIT_BYTES, 1_048_576);
  assert.equal(config.SHUTDOWN_TIMEOUT_MS, 10_000);
  assert.equal(config.DISCOVERY, 'static');
  assert.equal(config.DATABASE_URL, undefined);
});

test('a bad value is one line naming the variable, what it wants and what it got', () => {
  const message = configError(() => loadConfig(baseConfigSpec, { PORT: 'abc' }));
  assert.equal(message, 'config: PORT must be a port number 1-65535 (got "abc")');
});

test('a missing required value says it is required and what it wants', () => {
  const message = configError(() => loadConfig({ DATABASE_URL: postgresUrl() }, {}));
  assert.equal(message, 'config: DATABASE_URL is required (a postgres:// URL)');
});

test('several problems are reported together, still on one line', () => {
  const message = configError(() =>
    loadConfig(baseConfigSpec, { PORT: '70000', LOG_LEVEL: 'loud', DISCOVERY: 'registry' }),
  );
  assert.ok(!message.includes('\n'));
  assert.match(message, /PORT must be a port number 1-65535 \(got "70000"\)/);
  assert.match(
    message,
    /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/,
  );
  assert.match(message, /REGISTRY_URL is required \(a URL \(required when DISCOVERY=registry\)\)/);
});

test('secrets are never echoed: secret-named values are hidden, URL passwords masked', () => {
  const token = configError(() =>
    loadConfig(
      {
        ADMIN_TOKEN: makeValidator<string>((s) => {
          if (s.length < 16) throw new Error('too short');
          return s;
        })({ desc: 'at least 16 characters' }),
      },
      { ADMIN_TOKEN: 'hunter2' },
    ),
  );
  assert.equal(token, 'config: ADMIN_TOKEN must be at least 16 characters (got a value of 7 characters)');
  const url = configError(() =>
    loadConfig({ DATABASE_URL: postgresUrl() }, { DATABASE_URL: 'mysql://app:pw@db/x' }),
  );
  assert.equal(url, 'config: DATABASE_URL must be a postgres:// URL (got "mysql://app:***@db/x")');
});

test('a service spec may override a base entry and add its own', () => {
  const config = loadConfig({ ...baseConfigSpec, PORT: port({ default: 9000 }), NAME: str() }, { NAME: 'x' });
  assert.equal(config.PORT, 9000);
  assert.equal(config.NAME, 'x');
});

test('a service started with a bad environment prints one line on stderr and exits 1', async () => {
  const child = spawn(process.execPath, [fixture], {
    env: { PATH: process.env.PATH, PORT: 'abc', DATABASE_URL: 'not a url' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 1);
  assert.equal(stdout, '');
  const lines = stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `stderr was:\n${stderr}`);
  assert.match(lines[0] ?? '', /^config: /);
  assert.match(lines[0] ?? '', /PORT must be a port number 1-65535 \(got "abc"\)/);
  assert.match(lines[0] ?? '', /DATABASE_URL must be a postgres:\/\/ URL \(got "not a url"\)/);
  assert.match(lines[0] ?? '', /ADMIN_TOKEN is required \(a secret of at least 16 characters\)/);
});
