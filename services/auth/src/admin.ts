// One-off admin commands: `node src/admin.ts migrate`, `create-account` (see
// accounts/admin-create-account.ts), `purge` (stale throttle rows and spent tokens; run it from
// a cron job) and `dead-letters list|show <id>|replay <id>`.
import { runAdmin } from '@shopnow/chassis';
import { deadLetterAdminCommand, declareConsumerGroupsStep } from '@shopnow/events';
import { createAccountCommand } from './accounts/admin-create-account.ts';
import { SERVICE } from './app.ts';
import { authSubscriptions } from './consumes.ts';
import { DEFAULT_THROTTLE_RULES } from './domain/throttle.ts';
import { MIGRATIONS } from './migrations.ts';
import { purgeStale } from './store/purge.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
  migrationPackages: MIGRATIONS.packages,
  afterMigrate: declareConsumerGroupsStep(authSubscriptions),
  commands: {
    'create-account': createAccountCommand({ out, err }),
    purge: async (_argv, { pool }) => {
      const result = await purgeStale(pool, new Date(), DEFAULT_THROTTLE_RULES.forgetAfterMs);
      out(JSON.stringify(result));
      return 0;
    },
    'dead-letters': deadLetterAdminCommand(),
  },
});
