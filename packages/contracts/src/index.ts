// @shopnow/contracts: the events services exchange, by versioned name, each with a schema.
// A new version of an event is a new contract (`.v2`) published beside the old one until every
// consumer has moved; a contract is never changed incompatibly in place.
import { EventCatalog } from './define-event.ts';
import { identityEvents } from './identity.ts';
import { inventoryEvents } from './inventory.ts';
import { orderEvents } from './order.ts';
import { paymentEvents } from './payment.ts';
import { productEvents } from './product.ts';
import { shippingEvents } from './shipping.ts';

export {
  ContractViolation,
  defineEvent,
  EventCatalog,
  type EventContract,
  type EventData,
  envelopeProblems,
} from './define-event.ts';
export { type EventEnvelope, EventEnvelopeSchema, eventDomain } from './envelope.ts';
export * from './identity.ts';
export * from './inventory.ts';
export * from './money.ts';
export * from './order.ts';
export * from './payment.ts';
export * from './product.ts';
export * from './shipping.ts';

/** Every event type of the platform. */
export function platformEvents(): EventCatalog {
  return new EventCatalog([
    ...productEvents,
    ...identityEvents,
    ...orderEvents,
    ...inventoryEvents,
    ...paymentEvents,
    ...shippingEvents,
  ]);
}
