// Business counters next to the chassis's HTTP metrics on /metrics.
import { Counter, type Registry } from '@shopnow/chassis';

export interface PaymentMetrics {
  calls: Counter<'kind' | 'outcome'>;
}

export function paymentMetrics(registry: Registry): PaymentMetrics {
  return {
    calls: new Counter({
      name: 'payment_provider_calls_total',
      help: 'Calls to the card processor, by kind (charge, refund, lookup) and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
  };
}
