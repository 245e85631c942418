// One-off admin command: `node src/admin.ts migrate` (the ledger's tables and the chassis's
// idempotency keys).
import { runAdmin } from '@shopnow/chassis';
import { SERVICE } from './app.ts';
import { MIGRATIONS } from './migrations.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: MIGRATIONS.dir,
});
