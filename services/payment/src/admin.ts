// One-off admin commands: `node src/admin.ts migrate` and
// `node src/admin.ts dead-letters list|show <id>|replay <id>`. Payments need no seed: they
// follow the orders' events.
import { fileURLToPath } from 'node:url';
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, EVENTS_MIGRATIONS } from '@shopnow/events';
import { SERVICE } from './app.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  migrationPackages: [EVENTS_MIGRATIONS],
  commands: {
    'dead-letters': deadLetterAdminCommand(),
  },
});
