// Service credentials (OAuth client credentials): `SERVICE_CLIENTS=name=secret,name=secret`.
// Secrets are compared in constant time on their digests, and an unknown client costs the same
// comparison as a known one, so timing tells neither the secret nor which names exist.
import { timingSafeEqual } from 'node:crypto';
import { digest } from './secrets.ts';

export const MIN_CLIENT_SECRET_LENGTH = 16;
const CLIENT_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export type ServiceClients = ReadonlyMap<string, Buffer>;

/** Parses the variable; throws with a one-line reason naming the bad entry. */
export function parseServiceClients(input: string): ServiceClients {
  const clients = new Map<string, Buffer>();
  for (const entry of input.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const at = entry.indexOf('=');
    const name = at < 0 ? entry : entry.slice(0, at);
    const secret = at < 0 ? '' : entry.slice(at + 1);
    if (!CLIENT_NAME.test(name)) throw new Error(`client name "${name}" must match ${CLIENT_NAME.source}`);
    if (secret.length < MIN_CLIENT_SECRET_LENGTH) {
      throw new Error(`the secret of ${name} must be at least ${MIN_CLIENT_SECRET_LENGTH} characters`);
    }
    if (clients.has(name)) throw new Error(`client ${name} is listed twice`);
    clients.set(name, digest(secret));
  }
  return clients;
}

const NO_CLIENT = digest('no such client');

/** The client's name when `secret` is its secret; undefined otherwise. */
export function authenticateClient(
  clients: ServiceClients,
  name: string,
  secret: string,
): string | undefined {
  const expected = clients.get(name);
  const matches = timingSafeEqual(digest(secret), expected ?? NO_CLIENT);
  return expected !== undefined && matches ? name : undefined;
}
