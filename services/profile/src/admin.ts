// One-off admin commands: `node src/admin.ts migrate` and
// `node src/admin.ts dead-letters list|show <id>|replay <id>`.
import { fileURLToPath } from 'node:url';
import { loadConfig, runAdmin } from '@shopnow/chassis';
import {
  EVENTS_MIGRATIONS,
  eventsConfigSpec,
  runDeadLetterCommand,
  transportFromConfig,
} from '@shopnow/events';
import { SERVICE } from './app.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  migrationPackages: [EVENTS_MIGRATIONS],
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
