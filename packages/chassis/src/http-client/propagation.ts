import { getRequestContext } from '../context.ts';
import { isTracingStarted } from '../tracing/state.ts';

/**
 * Headers that carry the caller's identity of this request downstream. With tracing on,
 * the undici instrumentation injects `traceparent` for its client span (adding one here
 * would send it twice); with tracing off, the incoming one is forwarded unchanged so the
 * trace id still joins the services' logs.
 */
export function propagationHeaders(): Record<string, string> {
  const context = getRequestContext();
  const headers: Record<string, string> = {};
  if (context?.requestId) headers['x-request-id'] = context.requestId;
  if (context?.traceparent && !isTracingStarted()) headers.traceparent = context.traceparent;
  return headers;
}
