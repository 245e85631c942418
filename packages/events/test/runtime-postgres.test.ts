// The runtime suite over the PostgreSQL transport, with the bus on a server of its own so the
// suite can take it down and bring it back.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPostgres } from '@shopnow/testkit';
import { createPostgresTransport } from '../src/transports/postgres.ts';
import { runRuntimeContract } from './runtime-contract.ts';
import { quietLogger } from './support/runtime-fixture.ts';

runRuntimeContract('postgres', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shopnow-bus-'));
  // As root, the server runs as the postgres user, which must be able to reach its data dir.
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  let server = await startPostgres({ dir: join(dir, 'data'), port, password });
  const url = server.url;
  return {
    transport: () => createPostgresTransport({ connectionString: url, logger: quietLogger }),
    outage: async () => {
      await server.stop();
      return async () => {
        server = await startPostgres({ dir: join(dir, 'data'), port, password });
      };
    },
    teardown: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
