export {
  registerAuthentication,
  requireCaller,
  requireRoles,
  requireService,
  requireUser,
  userOf,
} from './authenticate.ts';
export {
  createIdentity,
  type IdentityConfig,
  type IdentityKit,
  identityConfigSpec,
} from './create-identity.ts';
export {
  hasRole,
  type Identity,
  isServiceSubject,
  type ServiceIdentity,
  type UserIdentity,
} from './identity.ts';
export {
  JWKS_PATH,
  type KeySource,
  KeysUnavailableError,
  localKeySource,
  type RemoteJwksOptions,
  remoteJwks,
} from './key-source.ts';
export {
  REVOCATIONS_PATH,
  type RevocationCheck,
  RevocationList,
  type RevocationListOptions,
  type RevocationPage,
} from './revocation-list.ts';
export { SERVICE_TOKEN_PATH, ServiceTokenSource, type ServiceTokenSourceOptions } from './service-token.ts';
export {
  createTokenVerifier,
  InvalidTokenError,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './verify-access-token.ts';
