// Who is at the other end of a sign-in, as far as auth tells its owner: the device (from the
// User-Agent) and the client's network (the chassis's clientIpOf: the gateway's X-Client-IP).
// The result is only shown to the account's owner.
import { clientIpOf } from '@shopnow/chassis';
import type { FastifyRequest } from 'fastify';
import type { DeviceSighting } from '../accounts/device-sign-in.ts';
import { describeDevice, ipPrefix } from '../domain/device.ts';

export const MAX_USER_AGENT_LENGTH = 512;

export function userAgentOf(request: FastifyRequest): string {
  return (request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT_LENGTH);
}

export function deviceSightingOf(request: FastifyRequest): DeviceSighting {
  const ip = clientIpOf(request);
  return { device: describeDevice(userAgentOf(request)), ipPrefix: ip ? ipPrefix(ip) : null };
}
