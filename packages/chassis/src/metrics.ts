import { collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** OpenTelemetry's recommended boundaries for http.server.request.duration (seconds). */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

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

interface Series {
  labels: Record<string, string>;
  /** Per bucket (not cumulative); the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * `http_server_request_duration_seconds`, observed on every request. prom-client's Histogram
 * allocates and hashes its labels on each observe (~1.2 µs); this one finds the series through
 * three map lookups and bumps numbers, and renders the same exposition through the registry.
 */
class RequestDurationHistogram {
  readonly name = 'http_server_request_duration_seconds';
  readonly help = 'Duration of HTTP server requests';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  // route → method → status → series
  private readonly tree = new Map<string, Map<string, Map<number, Series>>>();
  private readonly series: Series[] = [];

  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    const routeLabel = route ?? UNMATCHED_ROUTE;
    const methodLabel = KNOWN_METHODS.has(method) ? method : '_OTHER';
    let byMethod = this.tree.get(routeLabel);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.tree.set(routeLabel, byMethod);
    }
    let byStatus = byMethod.get(methodLabel);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(methodLabel, byStatus);
    }
    let series = byStatus.get(status);
    if (series === undefined) {
      series = {
        labels: {
          http_request_method: methodLabel,
          http_route: routeLabel,
          http_response_status_code: String(status),
        },
        counts: new Float64Array(BOUNDS.length + 1),
        sum: 0,
        count: 0,
      };
      byStatus.set(status, series);
      this.series.push(series);
    }
    let bucket = 0;
    while (bucket < BOUNDS.length && seconds > (BOUNDS[bucket] as number)) bucket++;
    series.counts[bucket] = (series.counts[bucket] as number) + 1;
    series.sum += seconds;
    series.count++;
  }

  /** The shape prom-client's Registry renders (`_bucket` cumulative with `le`, `_sum`, `_count`). */
  async get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const { labels, counts, sum, count } of this.series) {
      let cumulative = 0;
      for (let i = 0; i < BOUNDS.length; i++) {
        cumulative += counts[i] as number;
        values.push({
          labels: { ...labels, le: BOUNDS[i] as number },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      }
      values.push({ labels: { ...labels, le: '+Inf' }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.tree.clear();
    this.series.length = 0;
  }
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const histogram = new RequestDurationHistogram();
  registry.registerMetric(histogram as unknown as Metric);
  return histogram;
}
