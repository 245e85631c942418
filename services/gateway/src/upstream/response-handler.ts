// One attempt's answer, read through undici's dispatch handler interface instead of
// `pool.request()`: a small answer whose length is declared (most API answers) is collected whole
// and handed on as one Buffer, so the gateway writes it to the client in one go with its length;
// only a large or unsized answer becomes a stream. `request()` made a Readable, an async resource
// and a promise chain per answer, and the reply then piped that stream: together they were the
// largest part of the gateway's own CPU per request (bench/gateway).
import { Readable } from 'node:stream';
import { type Dispatcher, util } from 'undici';

/** Answers up to this many bytes (by Content-Length) are collected before they go on. */
export const BUFFERED_BODY_MAX_BYTES = 64 * 1024;

/** An answer's body: whole when small and sized, else a stream the caller must consume or destroy. */
export type UpstreamBody = Buffer | Readable;

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
  /** performance.now() when the response headers arrived. */
  headersAt: number;
}

const EMPTY = Buffer.alloc(0);

/**
 * undici's (legacy, and still native) dispatch handler for one attempt. `settle` gets the answer
 * once (at the end of a collected body, at the headers of a streamed one) or the error; `done`
 * runs once when the exchange is over (body complete, failed or its stream destroyed), which is
 * when the request stops counting as in flight.
 */
export class ResponseHandler implements Dispatcher.DispatchHandler {
  readonly #method: string;
  readonly #settle: (err: Error | null, answer?: UpstreamAnswer) => void;
  readonly #done: () => void;
  readonly #signal: AbortSignal | undefined;
  #abort: ((reason?: Error) => void) | undefined;
  #answer: UpstreamAnswer | undefined;
  #chunks: Buffer[] | undefined;
  #stream: Readable | undefined;
  #settled = false;
  #finished = false;

  constructor(
    method: string,
    signal: AbortSignal | undefined,
    settle: (err: Error | null, answer?: UpstreamAnswer) => void,
    done: () => void,
  ) {
    this.#method = method;
    this.#signal = signal;
    this.#settle = settle;
    this.#done = done;
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.#abort = abort;
    if (this.#signal?.aborted) abort(abortReason(this.#signal));
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true; // 1xx: the final answer follows
    const headers = util.parseHeaders(rawHeaders) as UpstreamAnswer['headers'];
    const answer: UpstreamAnswer = { status, headers, body: EMPTY, headersAt: performance.now() };
    this.#answer = answer;
    const length = headers['content-length'];
    const sized = typeof length === 'string' && Number(length) <= BUFFERED_BODY_MAX_BYTES;
    if (this.#method === 'HEAD' || status === 204 || status === 304 || sized) {
      this.#chunks = [];
      return true;
    }
    this.#stream = new Readable({
      read: () => resume(),
      destroy: (err, callback) => {
        // The reader gave up (e.g. the client went away): stop reading from the upstream.
        if (!this.#finished) this.#abort?.(err ?? new Error('response body destroyed'));
        this.#finish();
        callback(err);
      },
    });
    this.#stream.once('end', () => this.#finish());
    // A body that fails unread (its reader attaches later, or never) must not crash the process.
    this.#stream.on('error', ignore);
    answer.body = this.#stream;
    this.#resolve(answer);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#chunks !== undefined) {
      this.#chunks.push(chunk);
      return true;
    }
    return this.#stream?.push(chunk) ?? true;
  }

  onComplete(): void {
    const answer = this.#answer;
    if (this.#stream !== undefined) {
      this.#stream.push(null);
      return;
    }
    const chunks = this.#chunks ?? [];
    if (answer !== undefined) {
      answer.body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    }
    this.#finish();
    if (answer !== undefined) this.#resolve(answer);
    else this.#fail(new Error('upstream answer ended without headers'));
  }

  onError(err: Error): void {
    if (this.#stream !== undefined && this.#settled) {
      // Headers went on already: the reader sees the stream fail.
      this.#stream.destroy(err);
      return;
    }
    this.#finish();
    this.#fail(err);
  }

  readonly #onAbort = (): void => {
    const reason = abortReason(this.#signal as AbortSignal);
    if (this.#abort !== undefined) this.#abort(reason);
    else if (!this.#settled) {
      this.#finish();
      this.#fail(reason);
    }
  };

  #resolve(answer: UpstreamAnswer): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle(null, answer);
  }

  #fail(err: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle(err);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#done();
  }
}

function ignore(): void {}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('request aborted');
}

/** The whole body as bytes (a streamed one is read to its end). */
export async function readBody(body: UpstreamBody): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Lets go of a body that will not be read (a streamed one is destroyed, freeing its connection). */
export function discardBody(body: UpstreamBody): void {
  if (!Buffer.isBuffer(body)) body.destroy();
}
