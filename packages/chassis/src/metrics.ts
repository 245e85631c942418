import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** OpenTelemetry's recommended boundaries for http.server.request.duration (seconds). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Methods kept as label values; anything else is `_OTHER` (OTel semconv), bounding cardinality. */
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);

/** Route label for requests that matched no route: one series, whatever the URL. */
export const UNMATCHED_ROUTE = '';

export interface HttpMetrics {
  /** Record one finished request. `route` is the route template (`/products/:id`), never the URL. */
  observe(method: string, route: string | undefined, status: number, seconds: number): void;
}

/**
 * A per-app registry: default process and event-loop metrics, `service_info{service,version} 1`,
 * and the HTTP server duration histogram named after the OTel semantic conventions.
 */
export function createMetricsRegistry(service: string, version: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'service_info',
    help: 'Service name and version of this process (always 1)',
    labelNames: ['service', 'version'],
    registers: [registry],
  }).set({ service, version }, 1);
  return registry;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const histogram = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  // route → method → status → label set, so the hot path allocates nothing after warm-up.
  const labelSets = new Map<string, Map<string, Map<number, Record<string, string>>>>();

  return {
    observe(method, route, status, seconds) {
      const routeLabel = route ?? UNMATCHED_ROUTE;
      const methodLabel = KNOWN_METHODS.has(method) ? method : '_OTHER';
      let byMethod = labelSets.get(routeLabel);
      if (byMethod === undefined) {
        byMethod = new Map();
        labelSets.set(routeLabel, byMethod);
      }
      let byStatus = byMethod.get(methodLabel);
      if (byStatus === undefined) {
        byStatus = new Map();
        byMethod.set(methodLabel, byStatus);
      }
      let labels = byStatus.get(status);
      if (labels === undefined) {
        labels = {
          http_request_method: methodLabel,
          http_route: routeLabel,
          http_response_status_code: String(status),
        };
        byStatus.set(status, labels);
      }
      histogram.observe(labels, seconds);
    },
  };
}
