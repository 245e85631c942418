// One-off admin commands: `node src/admin.ts migrate` and `node src/admin.ts seed`
// (seed loads the demo catalog only when it is empty).
import { fileURLToPath } from 'node:url';
import { runAdmin } from '@shopnow/chassis';
import { SERVICE } from './app.ts';
import { seedCatalog } from './seed/seed.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  seed: async (pool, logger) => {
    await seedCatalog(pool, logger);
  },
});
