import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
} from 'cockatiel';
import type { Logger } from 'pino';
import { UpstreamError } from './upstream-error.ts';

export interface BreakerOptions {
  /** Consecutive failed attempts (no response, or a 5xx) that open the circuit. Default 5. */
  consecutiveFailures?: number;
  /** How long it stays open before one trial call is let through (half-open). Default 5 s. */
  halfOpenAfterMs?: number;
}

export interface PolicyOptions {
  breaker?: BreakerOptions | false;
  maxConcurrent?: number;
  maxQueued?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export interface UpstreamPolicies {
  /** Runs one attempt through the circuit breaker. */
  breaker<T>(attempt: () => Promise<T>): Promise<T>;
  /** Runs a whole call (all its attempts) inside the concurrency limit. */
  bulkhead<T>(call: () => Promise<T>): Promise<T>;
}

const isServerError = (result: unknown) => ((result as { status?: number }).status ?? 0) >= 500;

/** cockatiel's breaker and bulkhead for one upstream service, failing with UpstreamError. */
export function createUpstreamPolicies(service: string, options: PolicyOptions): UpstreamPolicies {
  const limiter = bulkhead(options.maxConcurrent ?? 64, options.maxQueued ?? 0);
  const breaker =
    options.breaker === false
      ? undefined
      : circuitBreaker(
          // An attempt that got no answer (UpstreamError) or a 5xx counts against the upstream; none
          // to try (discovery knows no instance yet, as while the platform starts) does not: nothing
          // was asked, and an open circuit would refuse for seconds after the first instance is up.
          handleWhen((err) => err instanceof UpstreamError && err.failure !== 'no_instances').orWhenResult(
            isServerError,
          ),
          {
            halfOpenAfter: options.breaker?.halfOpenAfterMs ?? 5_000,
            breaker: new ConsecutiveBreaker(options.breaker?.consecutiveFailures ?? 5),
          },
        );
  breaker?.onStateChange((state) => {
    if (state === CircuitState.Open) options.logger?.warn({ upstream: service }, 'circuit opened');
    else if (state === CircuitState.Closed) options.logger?.info({ upstream: service }, 'circuit closed');
  });

  return {
    async breaker(attempt) {
      if (!breaker) return attempt();
      try {
        return await breaker.execute(attempt);
      } catch (err) {
        if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
          throw new UpstreamError(service, 'circuit_open', { cause: err });
        }
        throw err;
      }
    },
    async bulkhead(call) {
      try {
        return await limiter.execute(call);
      } catch (err) {
        if (err instanceof BulkheadRejectedError)
          throw new UpstreamError(service, 'bulkhead_full', { cause: err });
        throw err;
      }
    },
  };
}
