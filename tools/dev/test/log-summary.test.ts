import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { summarise } from '../src/log-summary.ts';

// What CI prints from the kept e2e logs when the tests fail: per process, errors before warnings,
// each distinct message once, nothing at info.

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const line = (level: string | number, msg: string, err?: string) =>
  JSON.stringify({ level, time: '2026-12-03T16:41:55.065Z', msg, ...(err ? { err: { message: err } } : {}) });

it('lists each process’s errors first, then warnings, each message once, and skips quiet processes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'log-summary-'));
  dirs.push(dir);
  await mkdir(join(dir, 'sandbox-a'));
  await writeFile(
    join(dir, 'sandbox-a', 'gateway-1.log'),
    [
      '{"time":1796316079596,"source":"launcher","msg":"started gateway-1"}',
      line('info', 'request completed'),
      line('warn', 'upstream instance ejected'),
      line('warn', 'upstream instance ejected'),
      line('error', 'request failed', 'connect ECONNREFUSED 127.0.0.1:1'),
      'not json at all',
    ].join('\n'),
  );
  await writeFile(join(dir, 'sandbox-a', 'token-1.log'), `${line('info', 'listening')}\n`);
  await writeFile(
    join(dir, 'sandbox-a', 'user-admin.log'),
    `${JSON.stringify({ level: 50, time: Date.parse('2026-12-03T16:41:56.000Z'), msg: 'grant-role failed' })}\n`,
  );

  assert.deepEqual(await summarise(dir), [
    'sandbox-a:',
    '  gateway-1.log: 1 errors, 2 warnings',
    '    E 16:41:55.065 request failed: connect ECONNREFUSED 127.0.0.1:1',
    '    W 16:41:55.065 upstream instance ejected',
    '  user-admin.log: 1 errors, 0 warnings',
    '    E 16:41:56.000 grant-role failed',
  ]);
});

it('a folder that does not exist is an empty summary', async () => {
  assert.deepEqual(await summarise(join(tmpdir(), 'no-such-folder-for-log-summary')), []);
});
