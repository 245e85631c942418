// One-off admin commands: `node src/admin.ts migrate`, `node src/admin.ts seed` (loads the demo
// catalog only when it is empty) and `node src/admin.ts dead-letters list|show <id>|replay <id>`.
import { fileURLToPath } from 'node:url';
import { loadConfig, runAdmin } from '@shopnow/chassis';
import {
  EVENTS_MIGRATIONS,
  eventsConfigSpec,
  runDeadLetterCommand,
  transportFromConfig,
} from '@shopnow/events';
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
    'dead-letters': (argv, { pool, logger, env }) =>
      runDeadLetterCommand(argv, {
        db: pool,
        transport: () => transportFromConfig(loadConfig(eventsConfigSpec, env), logger),
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      }),
  },
});
