import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_SLOT } from './catalog.ts';
import { LauncherError } from './errors.ts';

/** Repository root: tools/launcher/src → ../../.. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface LauncherSettings {
  repoRoot: string;
  home: string;
  /** Registry + status HTTP server. */
  launcherPort: number;
  pgPort: number;
  /** Extra PostgreSQL server settings (`name=value`), each passed as `-c` at every start. */
  pgSettings: string[];
  /** Service ports are basePort + 10 * slot + replica index. */
  basePort: number;
  /** The public entry (the gateway): its first replica's port; replica i listens on gatewayPort + i. */
  gatewayPort: number;
  /** Address the gateway listens on (every other process listens on loopback only). */
  gatewayHost: string;
  /**
   * V8's code cache for every Node process the launcher starts (NODE_COMPILE_CACHE): a property of
   * the installation, not of the data, so it lives beside node_modules and survives a new home.
   * About halves each process's start-up CPU once warm.
   */
  compileCache: string;
  paths: HomePaths;
}

export interface HomePaths {
  pgData: string;
  logs: string;
  secrets: string;
  state: string;
}

export const DEFAULT_PORTS = { launcher: 4000, pg: 54329, base: 4100, gateway: 8080 } as const;

/** The gateway answers on every interface by default: it is what a browser or a phone on the LAN opens. */
export const DEFAULT_GATEWAY_HOST = '0.0.0.0';

/** Where the project keeps Node's compile cache unless NODE_COMPILE_CACHE says otherwise. */
export function defaultCompileCache(repoRoot: string): string {
  return join(repoRoot, 'node_modules', '.cache', 'shopnow', 'node-compile');
}

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
  if (basePort + 10 * MAX_SLOT + 9 > 65535) {
    throw new LauncherError(`config: SHOPNOW_BASE_PORT leaves no room for service ports (got "${basePort}")`);
  }
  return {
    repoRoot,
    home,
    launcherPort: readPort(env, 'SHOPNOW_LAUNCHER_PORT', DEFAULT_PORTS.launcher),
    pgPort: readPort(env, 'SHOPNOW_PG_PORT', DEFAULT_PORTS.pg),
    pgSettings: readPgSettings(env, 'SHOPNOW_PG_SETTINGS'),
    basePort,
    gatewayPort: readPort(env, 'SHOPNOW_GATEWAY_PORT', DEFAULT_PORTS.gateway),
    gatewayHost: readHost(env, 'SHOPNOW_GATEWAY_HOST', DEFAULT_GATEWAY_HOST),
    compileCache: env.NODE_COMPILE_CACHE?.trim() || defaultCompileCache(repoRoot),
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

/**
 * Whitespace-separated `name=value` server settings (`shared_buffers=256MB
 * shared_preload_libraries=pg_stat_statements`). Only the form is checked here; PostgreSQL refuses
 * an unknown name or a bad value at start, and the launcher shows its log.
 */
function readPgSettings(env: NodeJS.ProcessEnv, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  const settings = raw.split(/\s+/);
  for (const setting of settings) {
    if (!PG_SETTING.test(setting)) {
      throw new LauncherError(
        `config: ${name} takes name=value settings separated by spaces (got "${setting}")`,
      );
    }
  }
  return settings;
}

const PG_SETTING = /^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)?=\S+$/i;

/** An IP literal or a host name to listen on (no scheme, port or spaces). */
function readHost(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (isIP(raw) === 0 && !HOST_NAME.test(raw)) {
    throw new LauncherError(`config: ${name} must be an IP address or a host name (got "${raw}")`);
  }
  return raw;
}

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$/i;
