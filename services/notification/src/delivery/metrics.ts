// Business counters next to the chassis's HTTP metrics on /metrics.
import { Counter, type Registry } from '@shopnow/chassis';

export interface DeliveryMetrics {
  /** Outcomes: sent, stored, skipped, retry, dead. */
  messages: Counter<'kind' | 'outcome'>;
}

export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  return {
    messages: new Counter({
      name: 'notification_messages_total',
      help: 'Messages by kind and what became of a step (sent, stored, skipped, retry, dead)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
  };
}
