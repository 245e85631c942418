export type { BackoffOptions } from './backoff.ts';
export type { EjectionOptions } from './balancer.ts';
export { neverConnected } from './classify-error.ts';
export type { BreakerOptions } from './policies.ts';
export {
  createServiceClient,
  type HttpMethod,
  type ServiceClient,
  type ServiceClientOptions,
  type ServiceRequest,
  type ServiceResponse,
} from './service-client.ts';
export { UpstreamError, type UpstreamFailure } from './upstream-error.ts';
