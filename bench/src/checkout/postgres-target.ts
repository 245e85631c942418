// The platform's PostgreSQL as the harness reaches it (superuser, loopback): one connection for a
// piece of work, closed after it.
import pg from 'pg';

export interface PostgresTarget {
  port: number;
  user: string;
  password: string;
}

export function connectionTo(target: PostgresTarget, database: string): pg.ClientConfig {
  return { host: '127.0.0.1', port: target.port, user: target.user, password: target.password, database };
}

export async function withClient<T>(
  target: PostgresTarget,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(connectionTo(target, database));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
