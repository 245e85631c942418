import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServiceDefinition } from '../catalog.ts';
import type { LauncherSettings } from '../settings.ts';
import type { Progress } from '../ui/progress.ts';
import { runAdminTask } from './admin-task.ts';
import type { EventsEnv } from './events.ts';
import { StartupInterrupted, type Teardown } from './teardown.ts';

const SCRIPT = join(import.meta.dirname, 'declare-consumer-groups.ts');

/**
 * Declares the consumer groups of every service in the catalog (each one's consumes.ts, beside its
 * main.ts) on the bus, in one admin process. Services start only after it: an event is kept only for
 * the groups that exist when it is published, and most services migrate (and so declare) as they start.
 */
export async function bringUpConsumerGroups(ctx: {
  settings: LauncherSettings;
  catalog: readonly ServiceDefinition[];
  env: NodeJS.ProcessEnv;
  events: EventsEnv;
  nodePath: string;
  progress: Progress;
  teardown: Teardown;
}): Promise<void> {
  const { settings } = ctx;
  const modules = ctx.catalog
    .map((service) => join(settings.repoRoot, dirname(service.main), 'consumes.ts'))
    .filter((file) => existsSync(file));
  if (modules.length === 0) return;
  const started = Date.now();
  const abort = new AbortController();
  ctx.teardown.adopt({
    name: 'consumer groups',
    run: async () => abort.abort(new StartupInterrupted()),
  });
  await runAdminTask({
    label: 'declaring consumer groups',
    command: ctx.nodePath,
    args: [SCRIPT, ...modules],
    env: { ...ctx.env, ...ctx.events },
    cwd: settings.repoRoot,
    logFile: join(settings.paths.logs, 'events-admin.log'),
    signal: abort.signal,
  });
  ctx.progress.done('events', `consumer groups of ${modules.length} services declared`, started);
}
