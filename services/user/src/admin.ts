// One-off admin commands: `node src/admin.ts migrate`,
// `node src/admin.ts grant-role --user-id <uuid> --role admin|support|customer [--email <e>]`
// (the launcher's seed makes the first admin with it) and
// `node src/admin.ts dead-letters list|show <id>|replay <id>`.
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, declareConsumerGroupsStep } from '@shopnow/events';
import { userSubscriptions } from './consumes.ts';
import { grantRoleCommand } from './grant-role-command.ts';
import { MIGRATIONS } from './migrations.ts';

// Not imported from app.ts: the admin process loads no HTTP code.
const SERVICE = 'user';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
  migrationPackages: MIGRATIONS.packages,
  afterMigrate: declareConsumerGroupsStep(userSubscriptions),
  commands: {
    'grant-role': grantRoleCommand(SERVICE),
    'dead-letters': deadLetterAdminCommand(),
  },
});
