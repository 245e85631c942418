// One-off admin commands: `node src/admin.ts migrate`, `node src/admin.ts seed` (loads the demo
// catalog only when it is empty) and `node src/admin.ts dead-letters list|show <id>|replay <id>`.
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, declareConsumerGroupsStep } from '@shopnow/events';
import { SERVICE } from './app.ts';
import { productSubscriptions } from './consumes.ts';
import { MIGRATIONS } from './migrations.ts';
import { seedCatalog } from './seed/seed.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
  migrationPackages: MIGRATIONS.packages,
  afterMigrate: declareConsumerGroupsStep(productSubscriptions),
  seed: async (pool, logger) => {
    await seedCatalog(pool, logger);
  },
  commands: {
    'dead-letters': deadLetterAdminCommand(),
  },
});
