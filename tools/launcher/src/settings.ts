import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LauncherError } from './errors.ts';

/** Repository root: tools/launcher/src → ../../.. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface LauncherSettings {
  repoRoot: string;
  home: string;
  /** Registry + status HTTP server. */
  launcherPort: number;
  pgPort: number;
  /** Service ports are basePort + 10 * slot + replica index. */
  basePort: number;
  paths: HomePaths;
}

export interface HomePaths {
  pgData: string;
  logs: string;
  secrets: string;
  state: string;
}

export const DEFAULT_PORTS = { launcher: 4000, pg: 54329, base: 4100 } as const;

export function homePaths(home: string): HomePaths {
  return {
    pgData: join(home, 'pg'),
    logs: join(home, 'logs'),
    secrets: join(home, 'secrets.json'),
    state: join(home, 'launcher.json'),
  };
}

/** Reads the launcher's own environment; a bad value is one clear line. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, repoRoot = REPO_ROOT): LauncherSettings {
  const homeVar = env.SHOPNOW_HOME?.trim();
  const home = homeVar ? (isAbsolute(homeVar) ? homeVar : resolve(homeVar)) : join(repoRoot, '.shopnow');
  const basePort = readPort(env, 'SHOPNOW_BASE_PORT', DEFAULT_PORTS.base);
  if (basePort + 99 > 65535) {
    throw new LauncherError(`config: SHOPNOW_BASE_PORT leaves no room for service ports (got "${basePort}")`);
  }
  return {
    repoRoot,
    home,
    launcherPort: readPort(env, 'SHOPNOW_LAUNCHER_PORT', DEFAULT_PORTS.launcher),
    pgPort: readPort(env, 'SHOPNOW_PG_PORT', DEFAULT_PORTS.pg),
    basePort,
    paths: homePaths(home),
  };
}

function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LauncherError(`config: ${name} must be a port number 1-65535 (got "${raw}")`);
  }
  return port;
}
