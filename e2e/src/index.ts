// Helpers for tests that drive the platform from outside, as a user does.
export {
  createSandbox,
  type LauncherRun,
  type LauncherSandbox,
  REPO_ROOT,
  runLauncher,
  survivors,
} from './launcher-harness.ts';
export { type Patience, sendPatiently } from './patient-client.ts';
export { type Leftover, type PlatformDb, platformDb } from './platform-db.ts';
export { freePortBlock } from './ports.ts';
export {
  type InstanceStatus,
  type Kill,
  killAtRandom,
  launcherStatus,
  type ProcessKiller,
  seededRandom,
} from './process-killer.ts';
export { isAlive, pidsWithEnv } from './processes.ts';
