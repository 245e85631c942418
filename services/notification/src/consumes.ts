// Every event the notification service consumes, with its consumer group and what it does: the
// one place to look. Each handler runs in the transaction that records the event in the inbox and
// only writes rows (the recipients projection, the message to send); the sender does the network
// work (profile, SMTP) afterwards, so a handler never holds a transaction across the network.
import {
  AuthAccountLockedV1,
  AuthEmailVerificationRequestedV1,
  AuthEmailVerifiedV1,
  AuthNewDeviceSignedInV1,
  AuthPasswordChangedV1,
  AuthPasswordResetRequestedV1,
  AuthRegistrationRepeatedV1,
  AuthUserRegisteredV1,
  InventoryBackInStockV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  PaymentRefundedV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentScheduledV1,
} from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import { enqueue } from './intake/enqueue.ts';
import { orderMessage, refundMessage } from './intake/orders.ts';
import { shipmentMessage } from './intake/shipping.ts';
import { backInStockMessages } from './intake/stock.ts';
import { upsertRecipient } from './store/recipients.ts';

/** Account messages and the userId → email projection. */
const ACCOUNT = 'notification.account';
/** Order messages (placed, confirmed, cancelled, refunded). */
const ORDERS = 'notification.orders';
/** Shipping messages (scheduled, dispatched, delivered). */
const SHIPPING = 'notification.shipping';
/** Alerts customers asked for (back in stock). */
const ALERTS = 'notification.alerts';

export function notificationSubscriptions() {
  return [
    consume(AuthUserRegisteredV1, ACCOUNT, async (event, tx) => {
      const { userId, email, displayName } = event.data;
      await upsertRecipient(tx, { userId, email, displayName });
    }),
    consume(AuthEmailVerificationRequestedV1, ACCOUNT, async (event, tx) => {
      await upsertRecipient(tx, event.data);
      await enqueue(tx, event, 'verify_email', event.data);
    }),
    consume(AuthEmailVerifiedV1, ACCOUNT, async (event, tx) => {
      await upsertRecipient(tx, { ...event.data, verified: true });
    }),
    consume(AuthPasswordResetRequestedV1, ACCOUNT, async (event, tx) => {
      await upsertRecipient(tx, event.data);
      await enqueue(tx, event, 'password_reset', event.data);
    }),
    consume(AuthPasswordChangedV1, ACCOUNT, async (event, tx) => {
      await upsertRecipient(tx, event.data);
      await enqueue(tx, event, 'password_changed', event.data);
    }),
    consume(AuthAccountLockedV1, ACCOUNT, async (event, tx) => {
      await upsertRecipient(tx, event.data);
      await enqueue(tx, event, 'account_locked', event.data);
    }),
    consume(AuthRegistrationRepeatedV1, ACCOUNT, async (event, tx) => {
      await upsertRecipient(tx, event.data);
      await enqueue(tx, event, 'registration_repeated', event.data);
    }),
    consume(AuthNewDeviceSignedInV1, ACCOUNT, async (event, tx) => {
      await upsertRecipient(tx, event.data);
      await enqueue(tx, event, 'new_device_signin', event.data);
    }),
    consume(OrderPlacedV1, ORDERS, (event, tx) => orderMessage(tx, event, 'order_placed')),
    consume(OrderConfirmedV1, ORDERS, (event, tx) => orderMessage(tx, event, 'order_confirmed')),
    consume(OrderCancelledV1, ORDERS, (event, tx) => orderMessage(tx, event, 'order_cancelled')),
    consume(PaymentRefundedV1, ORDERS, (event, tx) => refundMessage(tx, event)),
    consume(ShipmentScheduledV1, SHIPPING, (event, tx) => shipmentMessage(tx, event, 'shipment_scheduled')),
    consume(ShipmentDispatchedV1, SHIPPING, (event, tx) => shipmentMessage(tx, event, 'shipment_dispatched')),
    consume(ShipmentDeliveredV1, SHIPPING, (event, tx) => shipmentMessage(tx, event, 'shipment_delivered')),
    consume(InventoryBackInStockV1, ALERTS, (event, tx) => backInStockMessages(tx, event)),
  ];
}
