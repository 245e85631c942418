import { EventEmitter } from 'node:events';
import type { ServiceDefinition } from '../catalog.ts';
import type { BackoffPolicy } from '../supervisor/backoff.ts';
import { waitForReady } from '../supervisor/readiness.ts';
import { type ExitInfo, type ProcessSpec, SupervisedProcess } from '../supervisor/supervised-process.ts';

export type InstanceStatus = 'starting' | 'ready' | 'restarting' | 'stopping' | 'stopped';

interface Events {
  ready: [info: { pid: number; afterMs: number }];
  exit: [info: ExitInfo];
  'not-ready': [info: { pid: number; afterMs: number }];
}

/**
 * One replica of a service: a supervised process plus what the launcher knows
 * about it (port, URL, readiness). Readiness is re-established after every
 * restart by polling /health/ready.
 */
export class ServiceInstance extends EventEmitter<Events> {
  readonly service: ServiceDefinition;
  readonly id: string;
  readonly port: number;
  readonly url: string;
  readonly process: SupervisedProcess;
  readonly #readyTimeoutMs: number;
  #ready = false;

  constructor(opts: {
    service: ServiceDefinition;
    id: string;
    port: number;
    /** Host part of its URL (default 127.0.0.1). */
    host?: string;
    spec: ProcessSpec;
    backoff?: BackoffPolicy;
    readyTimeoutMs: number;
  }) {
    super();
    this.service = opts.service;
    this.id = opts.id;
    this.port = opts.port;
    this.url = `http://${opts.host ?? '127.0.0.1'}:${opts.port}`;
    this.#readyTimeoutMs = opts.readyTimeoutMs;
    this.process = new SupervisedProcess(opts.spec, opts.backoff);
    this.process.on('spawn', (pid) => void this.#watchReadiness(pid));
    this.process.on('exit', (info) => {
      this.#ready = false;
      this.emit('exit', info);
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get status(): InstanceStatus {
    switch (this.process.state) {
      case 'running':
        return this.#ready ? 'ready' : 'starting';
      case 'backoff':
        return 'restarting';
      case 'stopping':
        return 'stopping';
      case 'idle':
        return 'starting';
      default:
        return 'stopped';
    }
  }

  start(): void {
    this.process.start();
  }

  /** Resolves once ready, or rejects with the reason it never got there. */
  whenReady(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        this.off('ready', onReady);
        this.off('exit', onExit);
        this.off('not-ready', onTimeout);
      };
      const onReady = () => {
        cleanup();
        resolve();
      };
      const onExit = (info: ExitInfo) => {
        cleanup();
        reject(new InstanceFailedError(this, info));
      };
      const onTimeout = () => {
        cleanup();
        reject(new InstanceFailedError(this));
      };
      this.on('ready', onReady);
      this.on('exit', onExit);
      this.on('not-ready', onTimeout);
    });
  }

  stop(graceMs: number): Promise<void> {
    return this.process.stop(graceMs);
  }

  async #watchReadiness(pid: number): Promise<void> {
    this.#ready = false;
    const started = Date.now();
    const outcome = await waitForReady(new URL('/health/ready', this.url), {
      timeoutMs: this.#readyTimeoutMs,
      stillRunning: () => this.process.pid === pid,
    });
    const afterMs = Date.now() - started;
    if (outcome === 'ready') {
      this.#ready = true;
      this.emit('ready', { pid, afterMs });
    } else if (outcome === 'timeout') {
      this.emit('not-ready', { pid, afterMs });
    }
  }
}

export class InstanceFailedError extends Error {
  readonly instance: ServiceInstance;
  readonly exit: ExitInfo | undefined;

  constructor(instance: ServiceInstance, exit?: ExitInfo) {
    super(
      exit
        ? `${instance.id} exited before it was ready (${exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`})`
        : `${instance.id} was not ready at ${instance.url}/health/ready in time`,
    );
    this.instance = instance;
    this.exit = exit;
  }
}
