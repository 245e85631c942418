// What to do with an upstream's answer that is neither the data nor a clean "not found".
import { AppError, commonErrors, type ServiceResponse } from '@shopnow/chassis';

/** An answer the order service cannot use: 503 when the upstream is failing, else 502. */
export function unusable(service: string, response: ServiceResponse): AppError {
  const failing = response.status >= 500 || response.status === 429;
  return new AppError(
    failing ? commonErrors.unavailable : commonErrors.bad_gateway,
    `The ${service} service answered ${response.status}; try again later`,
  );
}
