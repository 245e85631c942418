import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '@shopnow/chassis';

/** The outbox, inbox and dead-letter tables: pass to migrate/runAdmin as a package migration set. */
export const EVENTS_MIGRATIONS: MigrationSet = {
  namespace: 'events',
  dir: fileURLToPath(new URL('../migrations/', import.meta.url)),
};
