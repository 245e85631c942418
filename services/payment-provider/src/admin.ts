// One-off admin command: `node src/admin.ts migrate` (the ledger's tables and the chassis's
// idempotency keys).
import { fileURLToPath } from 'node:url';
import { runAdmin } from '@shopnow/chassis';
import { SERVICE } from './app.ts';

await runAdmin(process.argv.slice(2), {
  service: SERVICE,
  migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
});
