import { createServer } from 'node:net';

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Below Linux's ephemeral range (32768–60999): a port in it that is free now may be taken as the
 * local port of an outgoing connection (a service's pool to Postgres) before the launcher binds it.
 */
const LOWEST = 10_000;
const BELOW_EPHEMERAL = 32_768;

/** The first port of `count` consecutive ports that are free right now (on `host`, loopback by default). */
export async function freePortBlock(count: number, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = LOWEST + Math.floor(Math.random() * (BELOW_EPHEMERAL - LOWEST - count));
    let free = true;
    for (let i = 0; i < count && free; i++) free = await isFree(first + i, host);
    if (free) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
