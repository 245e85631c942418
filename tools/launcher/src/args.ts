import { parseArgs } from 'node:util';
import { LauncherError } from './errors.ts';

export type Command =
  | { name: 'start'; replicas: Record<string, number>; logs: boolean }
  | { name: 'status'; json: boolean }
  | { name: 'help' };

export const USAGE = `usage:
  npm start [-- --replicas product=2[,other=N]] [--logs]   start the platform (Ctrl-C stops it)
  npm run status [-- --json]                              what runs where, with memory

  node tools/launcher/src/cli.ts start|status|help [options]`;

export function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new LauncherError((err as Error).message, USAGE);
  }
  const [name = 'help', ...extra] = parsed.positionals;
  if (extra.length > 0) throw new LauncherError(`unexpected argument "${extra[0]}"`, USAGE);
  if (parsed.values.help) return { name: 'help' };
  switch (name) {
    case 'start':
      return {
        name,
        replicas: parseReplicas(parsed.values.replicas ?? []),
        logs: parsed.values.logs ?? false,
      };
    case 'status':
      return { name, json: parsed.values.json ?? false };
    case 'help':
      return { name };
    default:
      throw new LauncherError(`unknown command "${name}"`, USAGE);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      replicas: { type: 'string', multiple: true },
      logs: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** `product=2,cart=1` (also repeatable: `--replicas product=2 --replicas cart=1`). */
export function parseReplicas(values: string[]): Record<string, number> {
  const replicas: Record<string, number> = {};
  for (const pair of values.flatMap((v) => v.split(',')).filter((p) => p.trim() !== '')) {
    const match = /^\s*([a-z][a-z0-9_-]*)=(\d+)\s*$/.exec(pair);
    if (!match) throw new LauncherError(`--replicas expects service=count, e.g. product=2 (got "${pair}")`);
    replicas[match[1]!] = Number(match[2]);
  }
  return replicas;
}
