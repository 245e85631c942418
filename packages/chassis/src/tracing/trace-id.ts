import { trace } from '@opentelemetry/api';

// W3C trace-context: version-traceid-parentid-flags; an all-zero id is invalid.
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
const INVALID_TRACE_ID = '0'.repeat(32);

/**
 * The trace id for log lines: the active span's when tracing is on, else the one in the
 * incoming `traceparent` header, so logs of one request still correlate across services
 * without a tracing backend.
 */
export function currentTraceId(traceparentHeader?: string): string | undefined {
  const active = trace.getActiveSpan()?.spanContext();
  if (active && active.traceId !== INVALID_TRACE_ID) return active.traceId;
  const match = traceparentHeader ? TRACEPARENT.exec(traceparentHeader.trim().toLowerCase()) : null;
  const traceId = match?.[1];
  if (!traceId || traceId === INVALID_TRACE_ID || traceparentHeader?.startsWith('ff')) return undefined;
  return traceId;
}
