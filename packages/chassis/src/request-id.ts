import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Safe to log and echo: no spaces, quotes or control characters, bounded length. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify `genReqId`: keep a caller's well-formed X-Request-ID (correlation across hops), else mint one. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : randomUUID();
}
