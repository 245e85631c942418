// A service's entry points as operators run them, for its process tests: admin.ts as one-off
// commands, main.ts started and ready, and the platform's promise about bad configuration (exit 1
// with one line naming what is wrong) checked in one place.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { type RunningScript, runScript, type ScriptExit } from './run-script.ts';
import { type ServiceProcess, type ServiceProcessOptions, startServiceProcess } from './service-process.ts';

export interface ServiceScripts {
  /** Runs `script` (admin.ts, main.ts) as its own process with only `env`. */
  run(script: string, args: readonly string[], env: Record<string, string>): RunningScript;
  /**
   * `admin.ts migrate` with `env` (DATABASE_URL, and the bus's URL when the service consumes events:
   * migrate declares its consumer groups); fails the test with its output unless it exits 0.
   */
  migrate(env: Record<string, string>): Promise<void>;
  /** main.ts on a free port, once ready (see startServiceProcess). */
  start(env: Record<string, string>, options?: ServiceProcessOptions): Promise<ServiceProcess>;
  /** main.ts with `env` must exit 1 with one stderr line matching every pattern; resolves to the exit. */
  refusesToStart(env: Record<string, string>, ...named: RegExp[]): Promise<ScriptExit>;
}

/** The entry points in `srcDir` (a service's `src/`: `new URL('../src/', import.meta.url)`). */
export function serviceScripts(srcDir: URL): ServiceScripts {
  const path = (script: string) => fileURLToPath(new URL(script, srcDir));
  const run = (script: string, args: readonly string[], env: Record<string, string>) =>
    runScript(path(script), args, env);
  return {
    run,
    async migrate(env) {
      const done = await run('admin.ts', ['migrate'], env).exit;
      assert.equal(done.code, 0, done.stderr + done.stdout);
    },
    start: (env, options) => startServiceProcess(path('main.ts'), env, options),
    async refusesToStart(env, ...named) {
      const done = await run('main.ts', [], env).exit;
      assert.equal(done.code, 1, done.stdout + done.stderr);
      assert.equal(done.stderr.trim().split('\n').length, 1, done.stderr);
      for (const pattern of named) assert.match(done.stderr, pattern);
      return done;
    },
  };
}
