// One-off admin commands: `node src/admin.ts migrate`, `node src/admin.ts seed` (loads the demo
// catalog only when it is empty) and `node src/admin.ts dead-letters list|show <id>|replay <id>`.
import { fileURLToPath } from 'node:url';
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, EVENTS_MIGRATIONS } from '@shopnow/events';
import { SERVICE } from './app.ts';
import { seedCatalog } from './seed/seed.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  migrationPackages: [EVENTS_MIGRATIONS],
  seed: async (pool, logger) => {
    await seedCatalog(pool, logger);
  },
  commands: {
    'dead-letters': deadLetterAdminCommand(),
  },
});
