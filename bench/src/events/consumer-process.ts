// The harness's side of the consumer process: start it, ask it things, stop it.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs, type Phase } from './contract.ts';
import type { Answer, ConsumerConfig, Ready, Request } from './protocol.ts';

const CONSUMER_SCRIPT = join(import.meta.dirname, 'consumer.ts');
const READY_TIMEOUT_MS = 30_000;
const ANSWER_TIMEOUT_MS = 30_000;

type Ask<T extends Request['type']> = Extract<Answer, { type: T }>;

export class ConsumerProcess {
  readonly #child: ChildProcess;
  readonly #logFile: string;
  readonly #waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (err: Error) => void }>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  #exit: string | undefined;

  private constructor(child: ChildProcess, logFile: string) {
    this.#child = child;
    this.#logFile = logFile;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = `exited with ${signal ?? `code ${code}`}`;
        for (const waiter of this.#waiting.values()) waiter.reject(this.#died());
        this.#waiting.clear();
        resolve();
      });
    });
    child.on('message', (message: Answer | Ready) => {
      if (message.type === 'ready') return;
      const waiter = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      waiter?.resolve(message);
    });
  }

  /** Starts the consumer service with its output in `logFile`; resolves once it consumes. */
  static async start(config: ConsumerConfig, logFile: string): Promise<ConsumerProcess> {
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [CONSUMER_SCRIPT], {
      env: { ...process.env, BENCH_CONSUMER_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    closeSync(fd);
    const consumer = new ConsumerProcess(child, logFile);
    let timer: NodeJS.Timeout | undefined;
    const ready = await Promise.race([
      new Promise<boolean>((resolve) =>
        child.on('message', (m: Ready) => m.type === 'ready' && resolve(true)),
      ),
      consumer.#exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!ready) {
      await consumer.kill();
      throw consumer.#died(`did not start within ${READY_TIMEOUT_MS / 1000} s`);
    }
    return consumer;
  }

  /**
   * The consumer's clock minus ours (ms), from the round trip with the smallest delay: the
   * consumer's times minus this are on our clock. Both are wall clocks of one machine, so it
   * is a fraction of a millisecond; measured rather than assumed.
   */
  async clockOffsetMs(samples = 20): Promise<{ offsetMs: number; roundTripMs: number }> {
    let best = { offsetMs: 0, roundTripMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < samples; i++) {
      const sent = nowMs();
      const { now } = await this.#ask<'clock'>({ type: 'clock' });
      const received = nowMs();
      if (received - sent < best.roundTripMs) {
        best = { offsetMs: now - (sent + received) / 2, roundTripMs: received - sent };
      }
    }
    return best;
  }

  /** How many events of `phase` have been handled so far (first handlings), and how many twice. */
  progress(phase: Phase): Promise<{ handled: number; duplicates: number }> {
    return this.#ask<'progress'>({ type: 'progress', phase });
  }

  /** Each handled event of `phase`: [n, when its transaction committed, consumer's clock]. */
  report(phase: Phase): Promise<{ times: Array<[number, number]>; duplicates: number }> {
    return this.#ask<'report'>({ type: 'report', phase });
  }

  /** Stops consuming (deliveries in hand settle first) and lets the process exit. */
  async stop(): Promise<void> {
    if (this.#exit !== undefined) return;
    try {
      await this.#ask<'stop'>({ type: 'stop' });
      this.#child.disconnect();
      await this.#within(10_000);
    } finally {
      await this.kill();
    }
  }

  /** SIGKILL if still running. */
  async kill(): Promise<void> {
    if (this.#exit !== undefined) return;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async #within(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#exited, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  #ask<T extends Request['type']>(request: Omit<Extract<Request, { type: T }>, 'id'>): Promise<Ask<T>> {
    if (this.#exit !== undefined) return Promise.reject(this.#died());
    const id = this.#nextId++;
    return new Promise<Ask<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(this.#died(`did not answer ${request.type} within ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
      this.#waiting.set(id, {
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer as Ask<T>);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.#child.send({ ...request, id });
    });
  }

  #died(why = this.#exit ?? 'failed'): Error {
    let tail = '';
    try {
      tail = readFileSync(this.#logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
    } catch {
      // No log yet.
    }
    return new Error(`the consumer process ${why}${tail ? `; last log lines:\n${tail}` : ''}`);
  }
}
