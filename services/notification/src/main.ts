// Wiring only: config → pool → discovery → app → serve (graceful shutdown, registry).
import { runService } from '@shopnow/chassis';
import pkg from '../package.json' with { type: 'json' };
import { buildApp, SERVICE } from './app.ts';
import { notificationConfigSpec } from './config.ts';
import { MIGRATIONS } from './migrations.ts';

await runService({
  service: SERVICE,
  version: pkg.version,
  configSpec: notificationConfigSpec,
  build: buildApp,
  migrations: MIGRATIONS,
});
