// The event types the cart service consumes (it publishes none).
import { EventCatalog, OrderConfirmedV1, ProductPriceChangedV1 } from '@shopnow/contracts';

export const cartCatalog = new EventCatalog([ProductPriceChangedV1, OrderConfirmedV1]);
