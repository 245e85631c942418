// The event types the payment service publishes or consumes.
import { EventCatalog, OrderCancelledV1, OrderPaymentRequestedV1, paymentEvents } from '@shopnow/contracts';

export const paymentCatalog = new EventCatalog([...paymentEvents, OrderPaymentRequestedV1, OrderCancelledV1]);
