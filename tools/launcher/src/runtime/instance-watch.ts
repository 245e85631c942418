import type { InstanceRegistry } from '../registry/registry.ts';
import { formatDuration, type Progress } from '../ui/progress.ts';
import type { ServiceInstance } from './service-instance.ts';

/**
 * What the launcher does when an instance's life changes: an exit removes it
 * from the registry at once (clients route around it without waiting for its
 * lease), and once the platform is up every crash, restart and stall is told.
 */
export function watchInstance(
  instance: ServiceInstance,
  ctx: { registry: InstanceRegistry; progress: Progress; isLive: () => boolean },
): void {
  const { registry, progress, isLive } = ctx;
  instance.on('exit', (info) => {
    registry.remove(instance.service.name, instance.id);
    if (!isLive() || info.restartInMs === undefined) return;
    const how = info.signal ? `killed by ${info.signal}` : `exited with code ${info.code}`;
    progress.warn(
      instance.id,
      `${how} after ${formatDuration(info.uptimeMs)}; restarting in ${formatDuration(info.restartInMs)}`,
    );
  });
  instance.on('ready', ({ pid, afterMs }) => {
    if (isLive()) progress.done(instance.id, `restarted and ready (pid ${pid}, ${formatDuration(afterMs)})`);
  });
  instance.on('not-ready', ({ pid, afterMs }) => {
    if (!isLive()) return;
    const log = instance.process.spec.logFile;
    progress.warn(instance.id, `pid ${pid} not ready after ${formatDuration(afterMs)}; see ${log}`);
  });
}
