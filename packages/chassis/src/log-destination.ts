import { type DestinationStream, pino } from 'pino';

/** Lines held before an early flush, so a synchronous burst cannot pile up unbounded. */
const MAX_PENDING = 512;

/**
 * stdout for log lines, written once per event-loop turn: under load the lines of all requests
 * finished in one turn go out in one write(2) instead of one each, and nothing waits longer than
 * the current turn (no flush timer). The write itself is sonic-boom's synchronous one (handles
 * partial writes and EAGAIN on pipes). Pending lines are flushed on process exit, process.exit()
 * and crashes included; only a SIGKILL can lose the lines of the turn it interrupts.
 */
export function batchedStdout(): DestinationStream {
  shared ??= create();
  return shared;
}

/** One per process: every logger writing to stdout shares the batch (and one exit hook). */
let shared: DestinationStream | undefined;

function create(): DestinationStream {
  const sink = pino.destination({ dest: 1, sync: true });
  let pending: string[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = pending.length === 1 ? (pending[0] as string) : pending.join('');
    pending = [];
    sink.write(chunk);
  };
  process.once('exit', flush);

  return {
    write(line: string) {
      pending.push(line);
      if (pending.length >= MAX_PENDING) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
