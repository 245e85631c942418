import { Gauge, type Registry } from '@shopnow/chassis';
import { ATTEMPT_OUTCOMES } from './instance.ts';
import { DURATION_BOUNDS, REJECTION_OUTCOMES, type Upstream } from './upstream.ts';

type Labels = Record<string, string | number>;
type MetricValue = { labels: Labels; value: number; metricName?: string };
type CustomMetric = {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }>;
  reset(): void;
};

const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Registers the upstream metrics. Everything is computed at scrape time from counters the hot
 * path bumps as plain numbers (prom-client's labelled inc/observe hash their labels per call):
 * - gateway_upstream_requests_total{upstream,instance,outcome}: attempts by outcome (2xx…5xx,
 *   connect_failed, connection_reset, timeout), and calls refused before any attempt
 *   (no_instances, breaker_open, overloaded) with instance="".
 * - gateway_upstream_request_duration_seconds{upstream}: attempt time to response headers.
 * - gateway_upstream_instance_healthy{upstream,instance}: 1 when neither unhealthy nor ejected.
 * - gateway_upstream_breaker_state{upstream}: 0 closed, 1 half-open, 2 open.
 * - gateway_upstream_in_flight{upstream}.
 */
export function registerUpstreamMetrics(
  registry: Registry,
  upstreams: () => Iterable<Upstream>,
  now: () => number = Date.now,
): void {
  const requests: CustomMetric = {
    name: 'gateway_upstream_requests_total',
    help: 'Requests to upstream instances by outcome (attempts; refusals before any attempt have instance="")',
    type: 'counter',
    aggregator: 'sum',
    async get() {
      const values: MetricValue[] = [];
      for (const upstream of upstreams()) {
        for (const [instance, counts] of upstream.countsByUrl) {
          ATTEMPT_OUTCOMES.forEach((outcome, i) => {
            const value = counts[i] as number;
            if (value > 0) values.push({ labels: { upstream: upstream.name, instance, outcome }, value });
          });
        }
        REJECTION_OUTCOMES.forEach((outcome, i) => {
          const value = upstream.rejections[i] as number;
          if (value > 0) values.push({ labels: { upstream: upstream.name, instance: '', outcome }, value });
        });
      }
      return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
    },
    reset() {},
  };

  const duration: CustomMetric = {
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Time from sending a request to an upstream instance to its response headers',
    type: 'histogram',
    aggregator: 'sum',
    async get() {
      const values: MetricValue[] = [];
      const metricName = this.name;
      for (const upstream of upstreams()) {
        const labels = { upstream: upstream.name };
        let cumulative = 0;
        DURATION_BOUNDS.forEach((bound, i) => {
          cumulative += upstream.durationCounts[i] as number;
          values.push({
            labels: { ...labels, le: bound },
            value: cumulative,
            metricName: `${metricName}_bucket`,
          });
        });
        values.push({
          labels: { ...labels, le: '+Inf' },
          value: upstream.durationCount,
          metricName: `${metricName}_bucket`,
        });
        values.push({ labels, value: upstream.durationSum, metricName: `${metricName}_sum` });
        values.push({ labels, value: upstream.durationCount, metricName: `${metricName}_count` });
      }
      return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
    },
    reset() {},
  };

  type Metric = Parameters<Registry['registerMetric']>[0];
  registry.registerMetric(requests as unknown as Metric);
  registry.registerMetric(duration as unknown as Metric);

  new Gauge({
    name: 'gateway_upstream_instance_healthy',
    help: 'Whether an upstream instance receives traffic (1) or is unhealthy or ejected (0)',
    labelNames: ['upstream', 'instance'],
    registers: [registry],
    collect() {
      this.reset();
      const at = now();
      for (const upstream of upstreams()) {
        for (const instance of upstream.instances) {
          this.set({ upstream: upstream.name, instance: instance.url }, instance.isAvailable(at) ? 1 : 0);
        }
      }
    },
  });

  new Gauge({
    name: 'gateway_upstream_breaker_state',
    help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const upstream of upstreams()) {
        this.set({ upstream: upstream.name }, BREAKER_VALUE[upstream.breakerState]);
      }
    },
  });

  new Gauge({
    name: 'gateway_upstream_in_flight',
    help: 'Requests in flight to an upstream (until their response body is done)',
    labelNames: ['upstream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const upstream of upstreams()) this.set({ upstream: upstream.name }, upstream.inFlight);
    },
  });
}
