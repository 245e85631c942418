import { LauncherError } from '../errors.ts';
import { close, createControlServer, listen } from '../registry/control-server.ts';
import { type HealthCheckerOptions, startHealthChecker } from '../registry/health-checker.ts';
import type { InstanceRegistry } from '../registry/registry.ts';
import type { LauncherSettings } from '../settings.ts';
import type { Progress } from '../ui/progress.ts';
import type { Teardown } from './teardown.ts';

/** Serves the registry and status API on SHOPNOW_LAUNCHER_PORT and starts health-checking instances. */
export async function bringUpRegistry(ctx: {
  settings: LauncherSettings;
  registry: InstanceRegistry;
  status: () => Promise<unknown>;
  healthCheck: HealthCheckerOptions | undefined;
  progress: Progress;
  teardown: Teardown;
}): Promise<string> {
  const { settings } = ctx;
  const server = createControlServer({ registry: ctx.registry, status: ctx.status });
  try {
    await listen(server, settings.launcherPort);
  } catch (err) {
    throw new LauncherError(
      `the launcher cannot listen on port ${settings.launcherPort}: ${(err as Error).message}`,
      'stop what uses it (ss -ltnp), or set SHOPNOW_LAUNCHER_PORT=<port>',
    );
  }
  const checker = startHealthChecker(ctx.registry, ctx.healthCheck);
  ctx.teardown.adopt({
    name: 'registry',
    run: async () => {
      checker.stop();
      await close(server);
    },
    doneText: 'closed',
  });
  const url = `http://127.0.0.1:${settings.launcherPort}`;
  ctx.progress.done('registry', `service registry on ${url}`);
  return url;
}
