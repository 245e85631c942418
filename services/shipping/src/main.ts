// Wiring only: config → pool → discovery → app → serve (graceful shutdown, registry).
import { runService } from '@shopnow/chassis';
import pkg from '../package.json' with { type: 'json' };
import { buildApp, SERVICE } from './app.ts';
import { shippingConfigSpec } from './config.ts';
import { MIGRATIONS } from './migrations.ts';

await runService({
  service: SERVICE,
  version: pkg.version,
  configSpec: shippingConfigSpec,
  build: buildApp,
  migrations: MIGRATIONS,
});
