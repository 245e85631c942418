// `admin.ts dead-letters …` as every service's admin script offers it: the service's own
// database, and the transport its configuration names (only `replay` starts it).
import { type AdminCommand, loadConfig } from '@shopnow/chassis';
import { eventsConfigSpec, transportFromConfig } from '../config.ts';
import { runDeadLetterCommand } from './cli.ts';

export function deadLetterAdminCommand(
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
): AdminCommand {
  return (argv, { pool, logger, env }) =>
    runDeadLetterCommand(argv, {
      db: pool,
      transport: () => transportFromConfig(loadConfig(eventsConfigSpec, env), logger),
      ...io,
    });
}
