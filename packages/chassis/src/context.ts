import { AsyncLocalStorage } from 'node:async_hooks';

/** What one in-flight request carries to the code it calls (logs, outbound calls). */
export interface RequestContext {
  requestId: string;
  /** The incoming W3C traceparent, forwarded when no tracer is active. */
  traceparent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
