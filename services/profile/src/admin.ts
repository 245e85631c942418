// One-off admin commands: `node src/admin.ts migrate` and
// `node src/admin.ts dead-letters list|show <id>|replay <id>`.
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, declareConsumerGroupsStep } from '@shopnow/events';
import { SERVICE } from './app.ts';
import { profileSubscriptions } from './consumes.ts';
import { MIGRATIONS } from './migrations.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
  migrationPackages: MIGRATIONS.packages,
  afterMigrate: declareConsumerGroupsStep(profileSubscriptions),
  commands: {
    'dead-letters': deadLetterAdminCommand(),
  },
});
