// The event types the user service publishes or consumes.
import {
  AuthUserRegisteredV1,
  EventCatalog,
  UserReactivatedV1,
  UserRolesChangedV1,
  UserSuspendedV1,
  UserTierChangedV1,
} from '@shopnow/contracts';

export const userCatalog = new EventCatalog([
  AuthUserRegisteredV1,
  UserRolesChangedV1,
  UserTierChangedV1,
  UserSuspendedV1,
  UserReactivatedV1,
]);
