// What the benchmarks that run real services share: databases on an embedded PostgreSQL (or the
// test server of `npm test`), and service processes started from their main.ts and awaited.
import { join } from 'node:path';
import { freePort, startPostgres, TEST_PG_URL_ENV, testDatabase } from '@shopnow/testkit';
import { type Child, startNode, waitUntilReady } from './child.ts';
import type { Teardown } from './teardown.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** The test server of `npm test` (SHOPNOW_TEST_PG_URL), else an embedded Postgres of our own. */
export async function ensurePostgres(
  teardown: Teardown,
  log: (line: string) => void,
): Promise<'shared test server' | 'embedded'> {
  if (process.env[TEST_PG_URL_ENV]) return 'shared test server';
  log('postgres: starting an embedded server');
  const server = await startPostgres();
  teardown.add(() => server.stop());
  process.env[TEST_PG_URL_ENV] = server.url;
  teardown.add(() => {
    delete process.env[TEST_PG_URL_ENV];
  });
  return 'embedded';
}

/** A fresh database on the server ensurePostgres gives. */
export async function firstDatabase(teardown: Teardown, log: (line: string) => void): Promise<string> {
  await ensurePostgres(teardown, log);
  return freshDatabase(teardown);
}

export async function freshDatabase(teardown: Teardown): Promise<string> {
  const db = await testDatabase();
  teardown.add(() => db.drop());
  return db.url;
}

export interface RunningServer {
  child: Child;
  url: string;
}

export async function startServer(
  teardown: Teardown,
  runDir: string,
  name: string,
  spec: { args: string[]; env: Record<string, string>; readyPath: string },
): Promise<RunningServer> {
  const port = await freePort();
  const child = startNode(name, spec.args, {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...spec.env },
    logFile: join(runDir, `${name}.log`),
  });
  teardown.add(() => child.stop());
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, `${url}${spec.readyPath}`);
  return { child, url };
}
