// `node declare-consumer-groups.ts <consumes.ts>...`: declares on the bus (the EVENTS_TRANSPORT the
// launcher passes) every consumer group of the given services' consumes.ts modules, in one process
// and one connection. The launcher runs it before any service starts. Most services migrate as they
// start (MIGRATE_ON_START), so their `admin.ts migrate`, which declares their groups in Kubernetes,
// does not run first here; without this, an event relayed by one service before another service's
// consumers started would never reach that service.
import { pathToFileURL } from 'node:url';
import { createLogger } from '@shopnow/chassis';
import {
  declareOnConfiguredBus,
  type Subscription,
  type SubscriptionsSource,
  subscriptionsFrom,
} from '@shopnow/events';

const logger = createLogger({ service: 'launcher', version: 'declare-consumer-groups' });

/** The one `…Subscriptions` export of a consumes.ts. */
async function subscriptionsOf(file: string): Promise<readonly Subscription[]> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const exported = Object.entries(module).filter(([name]) => name.endsWith('Subscriptions'));
  if (exported.length !== 1) {
    throw new Error(`${file} must export exactly one …Subscriptions (found ${exported.length})`);
  }
  return subscriptionsFrom(exported[0]![1] as SubscriptionsSource);
}

const files = process.argv.slice(2);
const subscriptions = (await Promise.all(files.map(subscriptionsOf))).flat();
await declareOnConfiguredBus(subscriptions, { logger, env: process.env });
