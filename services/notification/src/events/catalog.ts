// The event types the notification service consumes (it publishes none).
import {
  AuthAccountLockedV1,
  AuthEmailVerificationRequestedV1,
  AuthEmailVerifiedV1,
  AuthPasswordChangedV1,
  AuthPasswordResetRequestedV1,
  AuthRegistrationRepeatedV1,
  AuthUserRegisteredV1,
  EventCatalog,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  PaymentRefundedV1,
} from '@shopnow/contracts';

export const notificationCatalog = new EventCatalog([
  AuthUserRegisteredV1,
  AuthRegistrationRepeatedV1,
  AuthEmailVerificationRequestedV1,
  AuthEmailVerifiedV1,
  AuthPasswordResetRequestedV1,
  AuthPasswordChangedV1,
  AuthAccountLockedV1,
  OrderPlacedV1,
  OrderConfirmedV1,
  OrderCancelledV1,
  PaymentRefundedV1,
]);
