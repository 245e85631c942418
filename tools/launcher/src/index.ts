// Programmatic use of the launcher (tests, bench): the same pieces `npm start` composes.
export { SERVICES, type ServiceDefinition, servicePort } from './catalog.ts';
export { LauncherError } from './errors.ts';
export {
  BUS_DATABASE,
  dropServiceDatabase,
  provisionBusDatabase,
  provisionServiceDatabase,
  type ServiceDatabase,
} from './postgres/provision.ts';
export { createControlServer, listen as listenControlServer } from './registry/control-server.ts';
export { startHealthChecker } from './registry/health-checker.ts';
export { InstanceRegistry } from './registry/registry.ts';
export { type EventsEnv, type EventsTransport, eventsTransportFrom } from './runtime/events.ts';
export { Platform, type PlatformOptions } from './runtime/platform.ts';
export type { ProcessStatus, StatusSnapshot } from './runtime/status-snapshot.ts';
export { DEFAULT_PORTS, type LauncherSettings, loadSettings } from './settings.ts';
export { type BackoffPolicy, DEFAULT_BACKOFF } from './supervisor/backoff.ts';
export { SupervisedProcess } from './supervisor/supervised-process.ts';
export { levelName } from './system/log-level.ts';
export { isAlive, pidsWithEnv } from './system/proc.ts';
