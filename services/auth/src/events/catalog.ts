// The event types the auth service publishes (it consumes none).
import {
  AuthAccountLockedV1,
  AuthEmailVerificationRequestedV1,
  AuthEmailVerifiedV1,
  AuthNewDeviceSignedInV1,
  AuthPasswordChangedV1,
  AuthPasswordResetRequestedV1,
  AuthRegistrationRepeatedV1,
  AuthUserRegisteredV1,
  EventCatalog,
} from '@shopnow/contracts';

export const authCatalog = new EventCatalog([
  AuthUserRegisteredV1,
  AuthRegistrationRepeatedV1,
  AuthEmailVerificationRequestedV1,
  AuthEmailVerifiedV1,
  AuthPasswordResetRequestedV1,
  AuthPasswordChangedV1,
  AuthAccountLockedV1,
  AuthNewDeviceSignedInV1,
]);
