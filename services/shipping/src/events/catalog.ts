// The event types the shipping service publishes or consumes.
import { EventCatalog, OrderCancelledV1, OrderConfirmedV1, shippingEvents } from '@shopnow/contracts';

export const shippingCatalog = new EventCatalog([...shippingEvents, OrderConfirmedV1, OrderCancelledV1]);
