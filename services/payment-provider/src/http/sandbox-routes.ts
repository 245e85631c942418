// The sandbox's fault controls (secret key; never subject to the faults themselves, so a test
// can always turn them off again).
import type { App } from '@shopnow/chassis';
import type { FaultSettings } from './fault-settings.ts';
import { FaultsBody, FaultsResponse, NoQuery } from './schemas.ts';

const TAGS = ['sandbox'];
const SECURITY = [{ secretKey: [] }];

export function registerSandboxRoutes(app: App, settings: FaultSettings): void {
  app.get(
    '/v1/sandbox/faults',
    {
      schema: {
        summary: 'The faults in force',
        tags: TAGS,
        security: SECURITY,
        querystring: NoQuery,
        response: { 200: FaultsResponse },
      },
    },
    () => settings.current(),
  );

  app.put(
    '/v1/sandbox/faults',
    {
      schema: {
        summary: 'Set latency, error rate and down for every replica, until reset',
        tags: TAGS,
        security: SECURITY,
        querystring: NoQuery,
        body: FaultsBody,
        response: { 200: FaultsResponse },
      },
    },
    async (request) => {
      await settings.set(request.body);
      return settings.current();
    },
  );

  app.delete(
    '/v1/sandbox/faults',
    {
      schema: {
        summary:
          'Back to the settings the environment gave at start (SANDBOX_LATENCY_MS, SANDBOX_ERROR_RATE)',
        tags: TAGS,
        security: SECURITY,
        querystring: NoQuery,
        response: { 200: FaultsResponse },
      },
    },
    async () => {
      await settings.reset();
      return settings.current();
    },
  );
}
