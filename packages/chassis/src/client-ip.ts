// The address of the client a request is for. Behind the gateway every socket is the gateway's,
// so the gateway names the client in X-Client-IP (always set there, never passed on from a client,
// worked out from its TRUSTED_PROXIES). Services are reachable only through it (loopback here,
// network policies in Kubernetes), so a service takes the header when it holds an address, and the
// socket's address otherwise (a direct call in a test or by an operator).
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

export const CLIENT_IP_HEADER = 'x-client-ip';

export function clientIpOf(request: Pick<FastifyRequest, 'headers' | 'ip'>): string {
  const header = request.headers[CLIENT_IP_HEADER];
  const named = typeof header === 'string' ? header.trim() : '';
  return isIP(named) !== 0 ? named : request.ip;
}
