// The chaos test's child processes (consumer.ts): start one and wait for its ready line, SIGKILL
// one, stop them all. Keeps the last lines of their logs for the failure message, and counts the
// deliveries each group's inbox swallowed (`dup` lines).
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ChaosProcessConfig, CONFIG_ENV, DUPLICATE_PREFIX, READY_LINE } from './contract.ts';

const CONSUMER_SCRIPT = new URL('./consumer.ts', import.meta.url).pathname;
const READY_TIMEOUT_MS = 45_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_LINES_KEPT = 200;

export interface Instance {
  /** `a.1#3`: slot `a.1`, third process in it. */
  readonly name: string;
  readonly slot: string;
  readonly child: ChildProcess;
  /** Resolves with how it ended. */
  readonly exited: Promise<string>;
  ready: boolean;
  /** The fleet stopped or killed it on purpose. */
  ending: boolean;
}

/** What a slot runs: everything of the config but the instance label. */
export type SlotConfig = Omit<ChaosProcessConfig, 'instance'>;

export class Fleet {
  readonly #slots = new Map<string, { config: SlotConfig; generation: number; current?: Instance }>();
  readonly #all = new Set<Instance>();
  readonly #log: string[] = [];
  readonly duplicates = new Map<string, number>();
  /** Instances that exited on their own (not killed or stopped by the fleet). */
  readonly crashes: string[] = [];

  define(slot: string, config: SlotConfig): void {
    this.#slots.set(slot, { config, generation: 0 });
  }

  /** Starts the slot's next process; resolves once it printed its ready line. */
  async start(slot: string): Promise<Instance> {
    const entry = this.#slots.get(slot);
    if (entry === undefined) throw new Error(`fleet: no slot ${slot}`);
    entry.generation++;
    const name = `${slot}#${entry.generation}`;
    const config: ChaosProcessConfig = { ...entry.config, instance: name };
    const child = spawn(process.execPath, [CONSUMER_SCRIPT], {
      env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => {
        this.#all.delete(instance);
        if (entry.current === instance) entry.current = undefined;
        const how = signal ?? `code ${code}`;
        // Exiting before ready is a failed start (start() rejects; the caller starts it again, as
        // an orchestrator would, e.g. while the broker restarts); after ready it is a crash.
        if (!instance.ending && instance.ready) this.crashes.push(`${name} exited on its own (${how})`);
        this.#note(name, `exited (${how})`);
        resolve(how);
      });
    });
    const instance: Instance = { name, slot, child, exited, ready: false, ending: false };
    this.#all.add(instance);
    entry.current = instance;
    child.on('error', (err) => this.#note(name, `spawn error: ${err.message}`));
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
      this.#note(name, line),
    );
    const ready = new Promise<boolean>((resolve) => {
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        if (line === READY_LINE) resolve(true);
        else if (line.startsWith(DUPLICATE_PREFIX)) {
          const group = line.slice(DUPLICATE_PREFIX.length).split(' ')[0] ?? '?';
          this.duplicates.set(group, (this.duplicates.get(group) ?? 0) + 1);
        } else this.#note(name, `stdout: ${line}`);
      });
      void exited.then(() => resolve(false));
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      ready,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (outcome !== true) {
      this.kill(instance);
      await exited;
      throw new Error(
        `${name} did not become ready (${outcome === 'timeout' ? `${READY_TIMEOUT_MS} ms` : await exited})\n${this.logTail(40)}`,
      );
    }
    instance.ready = true;
    return instance;
  }

  /** The slot's current process, if any. */
  current(slot: string): Instance | undefined {
    return this.#slots.get(slot)?.current;
  }

  /** Ready processes whose slot name starts with `prefix`. */
  readyInstances(prefix = ''): Instance[] {
    return [...this.#all].filter((instance) => instance.ready && instance.slot.startsWith(prefix));
  }

  /** SIGKILL, as a crash or an OOM kill would. */
  kill(instance: Instance): void {
    instance.ready = false;
    instance.ending = true;
    this.#note(instance.name, 'SIGKILL');
    instance.child.kill('SIGKILL');
  }

  /** Stops every process: SIGTERM (graceful), SIGKILL after a grace period. Returns how each ended. */
  async stopAll(): Promise<string[]> {
    const instances = [...this.#all];
    for (const instance of instances) {
      instance.ready = false;
      instance.ending = true;
      instance.child.kill('SIGTERM');
    }
    return Promise.all(
      instances.map(async (instance) => {
        const how = await Promise.race([instance.exited, sleep(STOP_TIMEOUT_MS, undefined)]);
        if (how !== undefined) return `${instance.name}: ${how}`;
        instance.child.kill('SIGKILL');
        return `${instance.name}: did not stop within ${STOP_TIMEOUT_MS} ms (${await instance.exited})`;
      }),
    );
  }

  /** Kills whatever still runs (cleanup after a failure). */
  async killAll(): Promise<void> {
    const instances = [...this.#all];
    for (const instance of instances) {
      instance.ending = true;
      instance.child.kill('SIGKILL');
    }
    await Promise.all(instances.map((instance) => instance.exited));
  }

  logTail(lines = 60): string {
    return this.#log.slice(-lines).join('\n');
  }

  #note(name: string, line: string): void {
    this.#log.push(`[${name}] ${line}`);
    if (this.#log.length > LOG_LINES_KEPT) this.#log.splice(0, this.#log.length - LOG_LINES_KEPT);
  }
}
