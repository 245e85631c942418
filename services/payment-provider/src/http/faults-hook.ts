// Fault injection in front of every /v1 call but the fault controls: the sandbox set down
// answers 503 at once; otherwise the configured latency, then a 503 for the configured share of
// calls, before anything else is done (no key check, no write). The 503 is sent from here rather
// than thrown: it is the sandbox doing its job, not a server fault worth an error log line.
import { setTimeout as sleep } from 'node:timers/promises';
import { sendProblem } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type InjectedFault, injectedFault } from '../domain/faults.ts';
import { providerErrors } from '../errors.ts';
import type { FaultSettings } from './fault-settings.ts';

/** How long a client should wait before trying again after an injected 503. */
const RETRY_AFTER_SECONDS = 1;

const DETAIL: Record<InjectedFault, string> = {
  down: 'The sandbox is set down',
  error_rate: 'Injected by the sandbox error rate',
};

export function faultsHook(
  settings: FaultSettings,
  onFault: (fault: InjectedFault) => void,
  random: () => number = Math.random,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const faults = await settings.current();
    let fault: InjectedFault | undefined = faults.down ? 'down' : undefined;
    if (fault === undefined && faults.latencyMs > 0) await sleep(faults.latencyMs);
    fault ??= injectedFault(faults, random());
    if (fault === undefined) return undefined;
    onFault(fault);
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return sendProblem(reply, request, providerErrors['provider.unavailable'], {
      detail: DETAIL[fault],
      extra: { fault },
    });
  };
}
