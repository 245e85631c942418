// Kept on globalThis (like the OpenTelemetry API's own registry) so that a second copy of
// the chassis module graph still sees what `--import @shopnow/chassis/tracing` started.
const KEY = Symbol.for('shopnow.chassis.tracing');

interface TracingState {
  shutdown: () => Promise<void>;
}

type GlobalWithTracing = typeof globalThis & { [KEY]?: TracingState };

export function setTracingState(state: TracingState): void {
  (globalThis as GlobalWithTracing)[KEY] = state;
}

/** True when the OpenTelemetry SDK was started by `@shopnow/chassis/tracing`. */
export function isTracingStarted(): boolean {
  return (globalThis as GlobalWithTracing)[KEY] !== undefined;
}

/** Flushes and stops the SDK (call at shutdown so the last spans are exported); a no-op when tracing is off. */
export async function shutdownTracing(): Promise<void> {
  await (globalThis as GlobalWithTracing)[KEY]?.shutdown();
}
