// One-off admin commands: `node src/admin.ts migrate`, `node src/admin.ts rotate-keys` (a new
// signing key signs from now on; the previous one stays published until its tokens expired) and
// `node src/admin.ts purge` (expired revocations, sessions over for a day; run it daily) and
// `node src/admin.ts dead-letters list|show <id>|replay <id>`.
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, declareConsumerGroupsStep } from '@shopnow/events';
import { SERVICE } from './app.ts';
import { tokenSubscriptions } from './consumes.ts';
import { rotateKeys } from './keys/key-management.ts';
import { MIGRATIONS } from './migrations.ts';
import { purgeExpired } from './store/purge.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
  migrationPackages: MIGRATIONS.packages,
  afterMigrate: declareConsumerGroupsStep(tokenSubscriptions),
  commands: {
    'rotate-keys': async (_argv, { pool, logger }) => {
      const { kid, retired } = await rotateKeys(pool);
      logger.info({ kid, retired }, 'signing key rotated; replicas sign with it within seconds');
      process.stdout.write(`${kid}\n`);
      return 0;
    },
    purge: async (_argv, { pool, logger }) => {
      logger.info(await purgeExpired(pool, new Date()), 'purged');
      return 0;
    },
    'dead-letters': deadLetterAdminCommand(),
  },
});
