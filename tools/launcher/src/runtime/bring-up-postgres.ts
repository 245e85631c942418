import { join } from 'node:path';
import type { Secrets } from '../home/secrets.ts';
import {
  initialiseCluster,
  isInitialised,
  type PostgresOptions,
  prepareCluster,
  type RunningPostgres,
  startPostgres,
} from '../postgres/server.ts';
import type { LauncherSettings } from '../settings.ts';
import type { Progress } from '../ui/progress.ts';
import type { Teardown } from './teardown.ts';

/** Creates the cluster on first start, starts the server, and stacks its stop. */
export async function bringUpPostgres(ctx: {
  settings: LauncherSettings;
  secrets: Secrets;
  env: NodeJS.ProcessEnv;
  progress: Progress;
  teardown: Teardown;
  onUnexpectedExit: PostgresOptions['onUnexpectedExit'];
}): Promise<RunningPostgres> {
  const { settings, progress, teardown } = ctx;
  const options: PostgresOptions = {
    dataDir: settings.paths.pgData,
    port: settings.pgPort,
    superuser: ctx.secrets.postgres,
    logFile: join(settings.paths.logs, 'postgres.log'),
    settings: settings.pgSettings,
    env: ctx.env,
    ...(ctx.onUnexpectedExit ? { onUnexpectedExit: ctx.onUnexpectedExit } : {}),
  };
  const cluster = await prepareCluster();
  teardown.checkpoint();
  if (!isInitialised(settings.paths.pgData)) {
    const started = Date.now();
    progress.step('postgres', `creating the database cluster in ${settings.paths.pgData} (first start)`);
    const opened = await initialiseCluster(cluster, options);
    for (const dir of opened)
      progress.warn('postgres', `made ${dir} traversable (o+x) for the postgres OS user`);
    progress.done('postgres', 'database cluster created', started);
    teardown.checkpoint();
  }
  const started = Date.now();
  const postgres = await startPostgres(cluster, options);
  teardown.adopt({ name: 'postgres', run: () => postgres.stop(), doneText: 'stopped' });
  progress.done('postgres', `PostgreSQL ready on 127.0.0.1:${postgres.port} (pid ${postgres.pid})`, started);
  return postgres;
}
