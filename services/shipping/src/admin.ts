// One-off admin commands: `node src/admin.ts migrate` and
// `node src/admin.ts dead-letters list|show <id>|replay <id>`.
// Shipments need no seed: they follow the order service's order.confirmed.v1 events.
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, declareConsumerGroupsStep } from '@shopnow/events';
import { SERVICE } from './app.ts';
import { shippingSubscriptions } from './consumes.ts';
import { MIGRATIONS } from './migrations.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
  migrationPackages: MIGRATIONS.packages,
  afterMigrate: declareConsumerGroupsStep(shippingSubscriptions),
  commands: {
    'dead-letters': deadLetterAdminCommand(),
  },
});
