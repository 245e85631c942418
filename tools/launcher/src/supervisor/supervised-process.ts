import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, writeSync } from 'node:fs';
import { openLog } from '../system/log-file.ts';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

export type ProcessState = 'idle' | 'running' | 'backoff' | 'stopping' | 'stopped';

export interface ExitInfo {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  uptimeMs: number;
  /** Set when a restart is scheduled. */
  restartInMs?: number;
}

interface Events {
  spawn: [pid: number];
  exit: [info: ExitInfo];
}

/**
 * Keeps one OS process running: restarts it with exponential backoff whenever
 * it exits on its own, and stops it with SIGTERM, a grace period, then SIGKILL.
 * The child leads its own process group, so the launcher alone decides when and
 * in which order things stop (a terminal Ctrl-C reaches only the launcher).
 */
export class SupervisedProcess extends EventEmitter<Events> {
  readonly spec: ProcessSpec;
  readonly #policy: BackoffPolicy;
  #child: ChildProcess | undefined;
  #state: ProcessState = 'idle';
  #attempt = 0;
  #restarts = 0;
  #spawnedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #exited: Promise<void> = Promise.resolve();

  constructor(spec: ProcessSpec, policy: BackoffPolicy = DEFAULT_BACKOFF) {
    super();
    this.spec = spec;
    this.#policy = policy;
  }

  get pid(): number | undefined {
    return this.#state === 'running' || this.#state === 'stopping' ? this.#child?.pid : undefined;
  }

  get state(): ProcessState {
    return this.#state;
  }

  /** How many times it was restarted after exiting on its own. */
  get restarts(): number {
    return this.#restarts;
  }

  get startedAt(): number {
    return this.#spawnedAt;
  }

  start(): void {
    if (this.#state !== 'idle') throw new Error(`${this.spec.name} already started`);
    this.#spawn();
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs: number): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#state !== 'running') {
      if (this.#state !== 'stopping') this.#state = 'stopped';
      return this.#exited;
    }
    this.#state = 'stopping';
    this.#signal('SIGTERM');
    const timer = setTimeout(() => this.#signal('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #spawn(): void {
    const fd = openLog(this.spec.logFile);
    let child: ChildProcess;
    try {
      child = spawn(this.spec.command, this.spec.args, {
        cwd: this.spec.cwd,
        env: this.spec.env,
        stdio: ['ignore', fd, fd],
        detached: true,
      });
      if (child.pid !== undefined) {
        const line = {
          time: Date.now(),
          source: 'launcher',
          msg: `started ${this.spec.name} (pid ${child.pid})`,
        };
        writeSync(fd, `${JSON.stringify(line)}\n`);
      }
    } finally {
      closeSync(fd);
    }
    this.#child = child;
    this.#spawnedAt = Date.now();
    this.#state = 'running';
    const pid = child.pid;
    this.#exited = new Promise((resolve) => {
      let done = false;
      const onGone = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        this.#onExit(pid, code, signal);
        resolve();
      };
      child.once('exit', onGone);
      // Spawn failures (e.g. ENOENT) emit 'error' and no 'exit'.
      child.once('error', () => onGone(null, null));
    });
    if (pid !== undefined) this.emit('spawn', pid);
  }

  #onExit(pid: number | undefined, code: number | null, signal: NodeJS.Signals | null): void {
    const uptimeMs = Date.now() - this.#spawnedAt;
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      this.#state = 'stopped';
      this.emit('exit', { pid, code, signal, uptimeMs });
      return;
    }
    if (uptimeMs >= this.#policy.stableAfterMs) this.#attempt = 0;
    const restartInMs = backoffDelay(this.#policy, this.#attempt++);
    this.#state = 'backoff';
    this.#timer = setTimeout(() => {
      this.#restarts++;
      this.#spawn();
    }, restartInMs);
    this.emit('exit', { pid, code, signal, uptimeMs, restartInMs });
  }

  /** Signals the whole process group, so nothing the child started is left behind. */
  #signal(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      this.#child?.kill(signal);
    }
  }
}
