// @shopnow/chassis: what every service shares, in one import. Each line names the module it comes from;
// service lifecycle is createApp (app.ts) → runService (main.ts), with serve for tests.

export { type AdminCommand, type AdminOptions, type AdminStep, runAdmin } from './admin.ts';
export { type App, type CreateAppOptions, createApp, type ShopnowApi } from './app.ts';
export { CLIENT_IP_HEADER, clientIpOf } from './client-ip.ts';
export {
  type BaseConfig,
  baseConfigSpec,
  bool,
  type CleanedEnv,
  ConfigError,
  email,
  exitOnConfigError,
  host,
  json,
  loadConfig,
  makeValidator,
  num,
  port,
  positiveInt,
  postgresUrl,
  str,
  url,
} from './config.ts';
export { getRequestContext, type RequestContext, runWithRequestContext } from './context.ts';
export { clientDataError, type DbErrorMapping, translatingDbErrors } from './db/client-errors.ts';
export {
  CHASSIS_MIGRATIONS_DIR,
  type MigrateOptions,
  type MigrateResult,
  type MigrationSet,
  migrate,
} from './db/migrate.ts';
export { createPool, type PoolOptions, withTransaction } from './db/pool.ts';
export { registerPoolMetrics } from './db/pool-metrics.ts';
export * from './discovery/index.ts';
export {
  AppError,
  commonErrors,
  defineErrors,
  type ErrorDef,
  errorForStatus,
  fieldError,
  isAppError,
  type RequestPart,
} from './errors.ts';
export type { HealthOptions, ReadinessCheck } from './health.ts';
export * from './http-client/index.ts';
export {
  type IdempotencyKey,
  type IdempotentResponse,
  purgeIdempotencyKeys,
  requestFingerprint,
  type StoredResponse,
  withIdempotency,
} from './idempotency.ts';
export { runWrite } from './idempotent-write.ts';
export * from './identity/index.ts';
export { createLogger, type Logger, type LoggerConfig } from './logging.ts';
export { Counter, Gauge, Histogram, Registry } from './metrics.ts';
export { type PeriodicTask, type PeriodicTaskOptions, startPeriodicTask } from './periodic-task.ts';
export {
  buildProblem,
  type FieldError,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemParts,
  sendProblem,
} from './problem.ts';
export { isSecretKey, REDACTED, redactSecrets } from './redact.ts';
export { REQUEST_ID_HEADER } from './request-id.ts';
export {
  type MigrationSpec,
  type RunServiceOptions,
  runService,
  type ServiceConfig,
  type ServiceDeps,
} from './run-service.ts';
export { DEFAULT_SECURITY_HEADERS } from './security.ts';
export { type Served, type ServeOptions, serve } from './serve.ts';
export { isTracingStarted, shutdownTracing } from './tracing/state.ts';
export { currentTraceId } from './tracing/trace-id.ts';
