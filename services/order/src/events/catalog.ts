// The event types the order service publishes or consumes.
import {
  EventCatalog,
  InventoryReservationExpiredV1,
  InventoryStockRejectedV1,
  InventoryStockReservedV1,
  orderEvents,
  PaymentFailedV1,
  PaymentSucceededV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
} from '@shopnow/contracts';

export const orderCatalog = new EventCatalog([
  ...orderEvents,
  InventoryStockReservedV1,
  InventoryStockRejectedV1,
  InventoryReservationExpiredV1,
  PaymentSucceededV1,
  PaymentFailedV1,
  ShipmentDispatchedV1,
  ShipmentDeliveredV1,
]);
