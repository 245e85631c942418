import { basename, dirname, sep } from 'node:path';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { setTracingState } from './state.ts';

// Probes and scrapes arrive every few seconds and would drown the real traces.
const UNTRACED_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * Starts the OpenTelemetry SDK for traces: HTTP server and client (node:http, undici)
 * and pg, exported as the OTEL_* variables say (endpoint, protocol, headers, sampler).
 * Metrics stay with prom-client (/metrics) and logs with pino (stdout), so the SDK's
 * OTLP metrics and logs pipelines are only started when their variables ask for them.
 */
export function startTracing(env: NodeJS.ProcessEnv): void {
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ? undefined : serviceNameFromEntry(process.argv[1]),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? '') }),
      new UndiciInstrumentation(),
      new PgInstrumentation(),
    ],
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();
  setTracingState({ shutdown: () => sdk.shutdown() });
}

/** `.../services/product/src/main.ts` → `product`: a sensible name when OTEL_SERVICE_NAME is unset. */
export function serviceNameFromEntry(entry: string | undefined): string | undefined {
  if (!entry) return undefined;
  const parts = dirname(entry).split(sep);
  const at = parts.lastIndexOf('services');
  return at >= 0 && parts[at + 1] ? parts[at + 1] : basename(entry).replace(/\.[cm]?[jt]s$/, '');
}
