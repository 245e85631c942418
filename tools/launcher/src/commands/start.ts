import { join } from 'node:path';
import type { DemoAccount } from '../home/secrets.ts';
import { describeEvents } from '../runtime/events.ts';
import { isStartupInterrupted, Platform } from '../runtime/platform.ts';
import type { StatusSnapshot } from '../runtime/status-snapshot.ts';
import type { LauncherSettings } from '../settings.ts';
import { followLogs } from '../ui/log-follower.ts';
import { createProgress, formatDuration } from '../ui/progress.ts';
import { renderTable } from '../ui/table.ts';
import { reportError } from './report-error.ts';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `npm start`: bring the platform up, print where everything runs, keep it
 * running until Ctrl-C / SIGTERM, then stop it all (services first, PostgreSQL
 * last) and exit 0. Any failure prints one message and exits non-zero after
 * stopping whatever had started.
 */
export async function startCommand(
  settings: LauncherSettings,
  opts: { replicas: Record<string, number>; logs: boolean },
): Promise<void> {
  const began = Date.now();
  const progress = createProgress();
  let follower: { stop(): void } | undefined;
  let exiting = false;

  /** Stops everything and exits; `why` is announced (a failed startup has already said why). */
  const shutdown = async (code: number, why?: string) => {
    if (exiting) return;
    exiting = true;
    follower?.stop();
    if (why) {
      progress.line();
      progress.step('launcher', why);
    }
    await platform.stop();
    if (why) progress.done('launcher', code === 0 ? 'stopped cleanly' : 'stopped');
    process.exit(code);
  };

  const platform = new Platform({
    settings,
    replicas: opts.replicas,
    progress,
    onFatal: (err) => {
      reportError(err);
      void shutdown(1, 'stopping everything');
    },
  });

  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      // npm forwards the terminal's Ctrl-C too, so one keypress can arrive twice.
      if (exiting) return;
      void shutdown(0, `${signal} received: stopping services first, PostgreSQL last`);
    });
  }
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (err) => {
      reportError(err);
      void shutdown(1, 'stopping everything');
    });
  }

  progress.line(`ShopNow launcher · home ${settings.home}`);
  try {
    await platform.start();
  } catch (err) {
    if (exiting || isStartupInterrupted(err)) return; // a signal is already shutting down
    reportError(err);
    await shutdown(1);
    return;
  }

  const snapshot = await platform.status();
  const table = renderTable(
    ['SERVICE', 'INSTANCE', 'PID', 'URL', 'STATUS'],
    snapshot.processes.map((p) => [
      p.service,
      p.instance,
      String(p.pid ?? '-'),
      p.url ?? `127.0.0.1:${p.port}`,
      p.status,
    ]),
  );
  // One write, so a reader never sees the headline without the table.
  progress.line(
    [
      '',
      `ShopNow is ready in ${formatDuration(Date.now() - began)}`,
      '',
      table,
      '',
      ...(snapshot.entryUrl ? [`Open      ${snapshot.entryUrl}`] : []),
      `Registry  ${platform.registryUrl}/registry/services`,
      ...mailboxLines(snapshot),
      ...(platform.events ? [`Events    ${describeEvents(platform.events)}`] : []),
      'Status    npm run status   (memory per process)',
      `Logs      ${join(settings.paths.logs, '<instance>.log')}${opts.logs ? '' : '   (follow: npm start -- --logs)'}`,
      ...demoLines(platform.demoAccounts),
      'Stop      Ctrl-C',
      '',
    ].join('\n'),
  );

  if (opts.logs) {
    follower = followLogs(
      platform.instances.map((i) => ({ label: i.id, path: i.process.spec.logFile })),
      process.stdout,
    );
  }
}

/** Where the emails of this run can be read (the notification service's developer mailbox, loopback only). */
function mailboxLines(snapshot: StatusSnapshot): string[] {
  const notification = snapshot.processes.find((p) => p.service === 'notification' && p.port !== undefined);
  if (!notification) return [];
  return [`Mailbox   http://127.0.0.1:${notification.port}/dev/mailbox   (every email sent, loopback only)`];
}

/** The demo people and their passwords (generated for this home, kept in secrets.json). */
function demoLines(accounts: readonly DemoAccount[]): string[] {
  if (accounts.length === 0) return [];
  const width = Math.max(...accounts.map((a) => a.email.length));
  return [
    'Accounts  (demo, log in through the gateway: POST /api/auth/login)',
    ...accounts.map((a) => `          ${a.email.padEnd(width)}  ${a.password}  ${a.role}`),
  ];
}
