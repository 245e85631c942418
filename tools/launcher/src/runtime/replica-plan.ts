import { instanceId, MAX_REPLICAS, type ServiceDefinition, servicePort } from '../catalog.ts';
import { LauncherError } from '../errors.ts';
import type { LauncherSettings } from '../settings.ts';
import type { PortClaim } from '../system/ports.ts';

/** Replicas per service from `--replicas` (1 when not named), refusing unknown names and silly counts. */
export function planReplicas(
  catalog: readonly ServiceDefinition[],
  wanted: Record<string, number> = {},
): Record<string, number> {
  for (const name of Object.keys(wanted)) {
    if (!catalog.some((s) => s.name === name)) {
      const known = catalog.map((s) => s.name).join(', ');
      throw new LauncherError(`--replicas names an unknown service "${name}" (known: ${known})`);
    }
  }
  const counts: Record<string, number> = {};
  for (const service of catalog) {
    const count = wanted[service.name] ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_REPLICAS) {
      throw new LauncherError(
        `--replicas ${service.name}=${count}: use a whole number from 1 to ${MAX_REPLICAS}`,
      );
    }
    counts[service.name] = count;
  }
  return counts;
}

/** Every port this run will listen on, with who needs it and which variable moves it. */
export function portClaims(
  settings: LauncherSettings,
  catalog: readonly ServiceDefinition[],
  replicas: Record<string, number>,
): PortClaim[] {
  const claims: PortClaim[] = [
    { port: settings.launcherPort, owner: 'launcher registry', envVar: 'SHOPNOW_LAUNCHER_PORT' },
    { port: settings.pgPort, owner: 'PostgreSQL', envVar: 'SHOPNOW_PG_PORT' },
  ];
  for (const service of catalog) {
    for (let i = 0; i < (replicas[service.name] ?? 1); i++) {
      claims.push({
        port: servicePort(settings, service, i),
        owner: instanceId(service, i),
        ...(service.edge
          ? { envVar: 'SHOPNOW_GATEWAY_PORT', host: settings.gatewayHost }
          : { envVar: 'SHOPNOW_BASE_PORT' }),
      });
    }
  }
  return claims;
}
