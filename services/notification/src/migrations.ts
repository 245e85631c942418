// This service's database schema: its own migrations, after the shared packages' ones. Applied
// by `admin.ts migrate`, or by main.ts at start when MIGRATE_ON_START is set.
import { fileURLToPath } from 'node:url';
import type { MigrationSpec } from '@shopnow/chassis';
import { EVENTS_MIGRATIONS } from '@shopnow/events';

export const MIGRATIONS: MigrationSpec = {
  dir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  packages: [EVENTS_MIGRATIONS],
};
