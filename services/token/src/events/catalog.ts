// The event types the token service publishes or consumes.
import {
  AuthPasswordChangedV1,
  AuthUserRegisteredV1,
  EventCatalog,
  TokenSessionsRevokedV1,
  UserReactivatedV1,
  UserRolesChangedV1,
  UserSuspendedV1,
  UserTierChangedV1,
} from '@shopnow/contracts';

export const tokenCatalog = new EventCatalog([
  TokenSessionsRevokedV1,
  AuthUserRegisteredV1,
  AuthPasswordChangedV1,
  UserRolesChangedV1,
  UserTierChangedV1,
  UserSuspendedV1,
  UserReactivatedV1,
]);
