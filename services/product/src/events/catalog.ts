// The event types the product service publishes or consumes.
import { EventCatalog, productEvents } from '@shopnow/contracts';

export const productCatalog = new EventCatalog([...productEvents]);
