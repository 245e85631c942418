import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LauncherState, removeState, writeState } from '../home/state-file.ts';
import type { LauncherSettings } from '../settings.ts';
import { formatPidsFile, startWatchdog } from '../system/watchdog.ts';
import type { Cleanup } from './teardown.ts';

/**
 * The launcher's bookkeeping in SHOPNOW_HOME while it runs: launcher.json (read
 * by `npm run status`, and by the next start to clean up after a launcher that
 * died) and launcher.pids, which the watchdog reads to stop everything should
 * the launcher be SIGKILLed. Writes are queued so they land in order.
 */
export class RunRecord {
  readonly #settings: LauncherSettings;
  readonly #state: LauncherState;
  #writes: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(settings: LauncherSettings, state: LauncherState) {
    this.#settings = settings;
    this.#state = state;
  }

  /** Writes the record, arms the watchdog, and returns the cleanup that undoes both. */
  open(): Cleanup {
    this.#save();
    const watchdog = startWatchdog(this.#pidsFile);
    return {
      name: 'launcher.json',
      run: async () => {
        this.#closed = true;
        await this.#queue(() => rm(this.#pidsFile, { force: true }));
        watchdog.disarm();
        await this.#queue(() => removeState(this.#settings.paths.state));
      },
    };
  }

  update(change: Partial<Pick<LauncherState, 'postgresPid' | 'children'>>): void {
    Object.assign(this.#state, change);
    this.#save();
  }

  #save(): void {
    if (this.#closed) return;
    const snapshot = structuredClone(this.#state);
    const pids = formatPidsFile({
      services: snapshot.children.map((c) => c.pid),
      ...(snapshot.postgresPid ? { postgres: snapshot.postgresPid } : {}),
    });
    void this.#queue(async () => {
      await writeState(this.#settings.paths.state, snapshot);
      await writeFile(this.#pidsFile, pids);
    });
  }

  get #pidsFile(): string {
    return join(this.#settings.home, 'launcher.pids');
  }

  #queue(write: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(write).catch(() => undefined);
    return this.#writes;
  }
}
