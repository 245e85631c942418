// Helpers for tests that drive the platform from outside, as a user does.
export {
  createSandbox,
  type LauncherRun,
  type LauncherSandbox,
  REPO_ROOT,
  runLauncher,
  survivors,
} from './launcher-harness.ts';
export { freePortBlock } from './ports.ts';
export { isAlive, pidsWithEnv } from './processes.ts';
