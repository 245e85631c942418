// A server-sent events client for tests: connects, parses events as they arrive, and lets a test
// wait for a condition on what it has seen so far (woken by each event, not by polling).

export interface StreamEvent<T = unknown> {
  id: string | undefined;
  event: string;
  data: T;
}

export interface EventStream<T = unknown> {
  status: number;
  contentType: string | null;
  /** Everything received so far, in order. */
  events: StreamEvent<T>[];
  /** Resolves once `done(events)` holds; rejects at the deadline or when the stream ends first. */
  until(done: (events: StreamEvent<T>[]) => boolean, timeoutMs: number): Promise<StreamEvent<T>[]>;
  close(): void;
}

/** Opens `url` as an event stream (GET, Accept: text/event-stream); answers that are not 200 are returned unread. */
export async function openEventStream<T = unknown>(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStream<T>> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const events: StreamEvent<T>[] = [];
  const waiters = new Set<() => void>();
  let ended: Error | undefined;
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };

  if (res.status === 200 && res.body) {
    void (async () => {
      let buffer = '';
      try {
        for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const parsed = parseBlock<T>(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (parsed) events.push(parsed);
          }
          wake();
        }
        ended = new Error('the stream ended');
      } catch (err) {
        ended = err as Error;
      }
      wake();
    })();
  } else {
    await res.arrayBuffer().catch(() => undefined);
    ended = new Error(`the stream answered ${res.status}`);
  }

  const until = (done: (seen: StreamEvent<T>[]) => boolean, timeoutMs: number) =>
    new Promise<StreamEvent<T>[]>((resolve, reject) => {
      const check = () => {
        if (done(events)) {
          finish();
          resolve(events);
        } else if (ended) {
          finish();
          reject(new Error(`${ended.message} before the condition held; seen: ${JSON.stringify(events)}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`not within ${timeoutMs} ms on ${url}; seen: ${JSON.stringify(events)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    until,
    close: () => abort.abort(),
  };
}

/** One event block (comments and fields without a colon ignored); undefined for a comment-only block. */
function parseBlock<T>(block: string): StreamEvent<T> | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text data stays a string
  }
  return { id, event, data: parsed as T };
}
