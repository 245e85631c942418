import type { UpstreamSpec } from '../routes/route-table-schema.ts';

/** An upstream's spec with every default filled in (the defaults the schema's comments promise). */
export interface UpstreamSettings {
  readonly service: string;
  readonly balance: 'round_robin' | 'least_outstanding';
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly connections: number;
  readonly maxConcurrent: number;
  readonly maxStreams: number;
  readonly retries: number;
  readonly health: {
    readonly path: string;
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly unhealthyThreshold: number;
    readonly healthyThreshold: number;
  };
  readonly ejection: { readonly failures: number; readonly windowMs: number; readonly durationMs: number };
  readonly breaker: {
    readonly failureRatio: number;
    readonly minimumCalls: number;
    readonly windowMs: number;
    readonly openMs: number;
  };
}

/** Fills in the defaults. connectTimeoutMs has none in the schema: 1 s, as the chassis service client. */
export function resolveSettings(spec: UpstreamSpec): UpstreamSettings {
  return {
    service: spec.service,
    balance: spec.balance ?? 'round_robin',
    timeoutMs: spec.timeoutMs ?? 10_000,
    connectTimeoutMs: spec.connectTimeoutMs ?? 1_000,
    connections: spec.connections ?? 64,
    maxConcurrent: spec.maxConcurrent ?? 512,
    maxStreams: spec.maxStreams ?? 10_000,
    retries: spec.retries ?? 1,
    health: {
      path: spec.health?.path ?? '/health/ready',
      intervalMs: spec.health?.intervalMs ?? 2_000,
      timeoutMs: spec.health?.timeoutMs ?? 1_000,
      unhealthyThreshold: spec.health?.unhealthyThreshold ?? 2,
      healthyThreshold: spec.health?.healthyThreshold ?? 1,
    },
    ejection: {
      failures: spec.ejection?.failures ?? 3,
      windowMs: spec.ejection?.windowMs ?? 30_000,
      durationMs: spec.ejection?.durationMs ?? 30_000,
    },
    breaker: {
      failureRatio: spec.breaker?.failureRatio ?? 0.5,
      minimumCalls: spec.breaker?.minimumCalls ?? 20,
      windowMs: spec.breaker?.windowMs ?? 10_000,
      openMs: spec.breaker?.openMs ?? 5_000,
    },
  };
}

/** Whether two settings differ in the parts that shape the connection pools. */
export function poolSettingsChanged(a: UpstreamSettings, b: UpstreamSettings): boolean {
  return a.connections !== b.connections || a.connectTimeoutMs !== b.connectTimeoutMs;
}

/** Whether two settings differ in the circuit breaker's parameters. */
export function breakerSettingsChanged(a: UpstreamSettings, b: UpstreamSettings): boolean {
  const x = a.breaker;
  const y = b.breaker;
  return (
    x.failureRatio !== y.failureRatio ||
    x.minimumCalls !== y.minimumCalls ||
    x.windowMs !== y.windowMs ||
    x.openMs !== y.openMs
  );
}
