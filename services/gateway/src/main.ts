// Wiring only: config → discovery → gateway app → serve (graceful shutdown, registry).
import { runService } from '@shopnow/chassis';
import pkg from '../package.json' with { type: 'json' };
import { buildGateway, SERVICE } from './app.ts';
import { gatewayConfigSpec } from './config.ts';

await runService({
  service: SERVICE,
  version: pkg.version,
  configSpec: gatewayConfigSpec,
  build: ({ config, discovery, logger, instanceId }) =>
    buildGateway({ config, discovery, logger, instanceId }),
});
