// One-off admin commands: `node src/admin.ts migrate` and
// `node src/admin.ts dead-letters list|show <id>|replay <id>`. Carts need no seed.
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, declareConsumerGroupsStep } from '@shopnow/events';
import { SERVICE } from './app.ts';
import { cartSubscriptions } from './consumes.ts';
import { MIGRATIONS } from './migrations.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
  migrationPackages: MIGRATIONS.packages,
  afterMigrate: declareConsumerGroupsStep(cartSubscriptions),
  commands: {
    'dead-letters': deadLetterAdminCommand(),
  },
});
