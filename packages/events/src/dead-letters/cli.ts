import type pg from 'pg';
import type { Transport } from '../transport.ts';
import { replayDeadLetter } from './replay.ts';
import { getDeadLetter, listDeadLetters } from './store.ts';

export const DEAD_LETTER_USAGE = `usage: admin.ts dead-letters <list [group] | show <id> | replay <id>>
  list [group]   dead letters not yet replayed, newest first (JSON lines)
  show <id>      one dead letter with its payload and error (JSON)
  replay <id>    deliver it again to its consumer group, as a first attempt`;

export interface DeadLetterCommandDeps {
  db: pg.Pool;
  /** Only `replay` needs it; started and closed by the command. */
  transport: () => Transport;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `admin.ts dead-letters ...`: resolves to the exit code (0 ok, 1 not found or failed, 2 usage). */
export async function runDeadLetterCommand(argv: string[], deps: DeadLetterCommandDeps): Promise<number> {
  const [command, arg] = argv;
  if (command === 'list') {
    for (const letter of await listDeadLetters(deps.db, { group: arg, limit: 200 })) {
      deps.out(JSON.stringify(letter));
    }
    return 0;
  }
  if ((command === 'show' || command === 'replay') && arg !== undefined && /^[1-9][0-9]{0,17}$/.test(arg)) {
    if (command === 'show') {
      const letter = await getDeadLetter(deps.db, arg);
      if (letter === undefined) {
        deps.err(`dead-letters: no dead letter ${arg}`);
        return 1;
      }
      deps.out(JSON.stringify(letter, null, 2));
      return 0;
    }
    const transport = deps.transport();
    try {
      await transport.start();
      const result = await replayDeadLetter(deps.db, transport, arg);
      if (result === 'replayed') {
        deps.out(`dead-letters: ${arg} replayed`);
        return 0;
      }
      deps.err(
        result === 'not_found'
          ? `dead-letters: no dead letter ${arg}`
          : `dead-letters: ${arg} was already replayed`,
      );
      return 1;
    } finally {
      await transport.close();
    }
  }
  deps.err(DEAD_LETTER_USAGE);
  return 2;
}
