import { createServer } from 'node:net';
import { LauncherError } from '../errors.ts';

export interface PortClaim {
  port: number;
  /** What needs it, e.g. "PostgreSQL" or "product-1". */
  owner: string;
  /** The variable that moves it. */
  envVar: string;
  /** The address it will listen on (default loopback). */
  host?: string;
}

/** Resolves true when nothing listens on host:port (127.0.0.1 by default). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Fails with one message naming every busy port and how to move it. */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  const busy: PortClaim[] = [];
  for (const claim of claims) {
    if (!(await isPortFree(claim.port, claim.host))) busy.push(claim);
  }
  if (busy.length === 0) return;
  const list = busy.map((c) => `${c.port} (${c.owner})`).join(', ');
  const vars = [...new Set(busy.map((c) => c.envVar))].map((v) => `${v}=<port>`).join(' ');
  throw new LauncherError(
    `port${busy.length > 1 ? 's' : ''} already in use: ${list}`,
    `stop what uses ${busy.length > 1 ? 'them' : 'it'} (see: ss -ltnp), or pick other ports: ${vars} npm start`,
  );
}
