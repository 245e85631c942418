// Business counters next to the chassis's HTTP metrics on /metrics.
import { Counter, type Registry } from '@shopnow/chassis';

export interface ProviderMetrics {
  charges: Counter<'outcome'>;
  refunds: Counter;
  faults: Counter<'fault'>;
}

export function providerMetrics(registry: Registry): ProviderMetrics {
  return {
    charges: new Counter({
      name: 'provider_charges_total',
      help: 'Charge attempts that reached a card, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    refunds: new Counter({ name: 'provider_refunds_total', help: 'Refunds made', registers: [registry] }),
    faults: new Counter({
      name: 'provider_faults_injected_total',
      help: 'Calls answered 503 by sandbox fault injection',
      labelNames: ['fault'],
      registers: [registry],
    }),
  };
}
