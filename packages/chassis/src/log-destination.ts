import { type DestinationStream, pino } from 'pino';

/** Bytes held before an early flush: one write(2) carries about 150 request lines. */
const MAX_PENDING_BYTES = 64 * 1024;
/** The longest a line waits in memory before it is written. */
const MAX_DELAY_MS = 25;

/**
 * stdout for log lines, written in batches: a batch goes out when it reaches 64 KiB or 25 ms
 * after its first line, whichever comes first, so under load one write(2) carries a whole batch
 * instead of one line (a write per line, or even per event-loop turn, cost more than building
 * the line). The write itself is sonic-boom's synchronous one (handles partial writes and EAGAIN
 * on pipes). Pending lines are flushed on process exit, process.exit() and crashes included;
 * only a SIGKILL can lose the last 25 ms of lines.
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
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return;
    const chunk = pending.length === 1 ? (pending[0] as string) : pending.join('');
    pending = [];
    pendingBytes = 0;
    sink.write(chunk);
  };
  process.once('exit', flush);

  return {
    write(line: string) {
      pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= MAX_PENDING_BYTES) flush();
      // Unref'd: a pending batch never keeps the process alive; the exit hook writes it.
      else timer ??= setTimeout(flush, MAX_DELAY_MS).unref();
    },
  };
}
