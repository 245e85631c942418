// A service as operators run it: its main.ts as its own Node process on a free port, taken as
// started once /health/ready answers 200, stopped with SIGTERM so the test sees the graceful drain
// and the exit code.
import { freePort } from './free-port.ts';
import { type RunningScript, runScript, type ScriptExit } from './run-script.ts';

export interface ServiceProcess extends RunningScript {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** SIGTERM, as an orchestrator stops it; resolves to the exit with everything printed. */
  stop(): Promise<ScriptExit>;
  /** SIGKILL if it still runs: for `finally`, so a failed test leaves no process behind. */
  kill(): void;
}

export interface ServiceProcessOptions {
  /** The port to listen on (a restart on the same one); a free one unless given. */
  port?: number;
  /** How long it may take to become ready. Default 20 s (a loaded two-core machine). */
  readyTimeoutMs?: number;
}

/**
 * Runs `main` with HOST=127.0.0.1, PORT and `env`, and resolves once it is ready. One that exits
 * first, or is not ready in time, is killed and fails the test with what it printed.
 */
export async function startServiceProcess(
  main: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const running = runScript(main, [], { ...env, HOST: '127.0.0.1', PORT: String(port) });
  const kill = () => {
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  let exited = false;
  void running.exit.then(() => {
    exited = true;
  });
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) break;
    if (exited || Date.now() >= deadline) {
      kill();
      const why = exited
        ? `exited (${running.child.exitCode ?? running.child.signalCode})`
        : 'was not ready in time';
      throw new Error(`${main} ${why} before it was ready on ${url}:\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    ...running,
    url,
    port,
    stop: () => {
      running.child.kill('SIGTERM');
      return running.exit;
    },
    kill,
  };
}
