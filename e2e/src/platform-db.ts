// The sandbox's embedded Postgres as an auditor reads it (superuser, every database): what is still
// on its way somewhere. Table names come from packages/events/migrations (outbox,
// event_dead_letters, in every service database that has events), pg-boss's job table in the bus
// database, and the inventory and payment migrations.
import pg from 'pg';

export interface PlatformDbOptions {
  /** SHOPNOW_PG_PORT of the sandbox (Postgres listens on 127.0.0.1). */
  port: number;
  /** secrets.json's `postgres`. */
  superuser: { user: string; password: string };
}

/** Something not yet done, where, and how much of it. */
export interface Leftover {
  /** `<database>.<what>`, e.g. `order.outbox unsent`. */
  where: string;
  count: number;
}

/** Each probe runs in one database when it has the table; a count above 0 is a leftover. */
const PROBES: ReadonlyArray<{ table: string; what: string; sql: string }> = [
  {
    table: 'public.outbox',
    what: 'outbox unsent',
    sql: 'select count(*)::int as n from outbox where sent_at is null',
  },
  {
    table: 'public.event_dead_letters',
    what: 'dead letters',
    sql: 'select count(*)::int as n from event_dead_letters',
  },
  {
    table: 'pgboss.job',
    what: 'bus jobs created, retry or active',
    sql: "select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')",
  },
  {
    table: 'public.reservations',
    what: 'active reservations',
    sql: "select count(*)::int as n from reservations where status = 'active'",
  },
  {
    // Payment's durable retry: a charge or a refund still to be made (refund_failed needs an operator).
    table: 'public.payments',
    what: 'payments waiting',
    sql: "select count(*)::int as n from payments where status in ('pending', 'refunding', 'refund_failed')",
  },
];

export interface PlatformDb {
  /** Every database but the templates and the maintenance one. */
  databases(): Promise<string[]>;
  /** Everything still outstanding in any database; empty once the platform is quiet. */
  leftovers(): Promise<Leftover[]>;
}

export function platformDb({ port, superuser }: PlatformDbOptions): PlatformDb {
  const connect = async <T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ host: '127.0.0.1', port, database, ...superuser });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  };
  const databases = () =>
    connect('postgres', async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "select datname from pg_database where not datistemplate and datname <> 'postgres' order by datname",
      );
      return rows.map((r) => r.datname);
    });

  return {
    databases,
    async leftovers() {
      const found: Leftover[] = [];
      const seen = new Set<string>();
      for (const database of await databases()) {
        await connect(database, async (client) => {
          for (const probe of PROBES) {
            const exists = await client.query<{ t: string | null }>('select to_regclass($1) as t', [
              probe.table,
            ]);
            if (exists.rows[0]?.t === null) continue;
            seen.add(probe.table);
            const { rows } = await client.query<{ n: number }>(probe.sql);
            const count = rows[0]?.n ?? 0;
            if (count > 0) found.push({ where: `${database}.${probe.what}`, count });
          }
        });
      }
      // A table renamed away would leave its probe finding nothing forever: an audit that cannot fail.
      const missing = PROBES.filter((p) => !seen.has(p.table)).map((p) => p.table);
      if (missing.length > 0) throw new Error(`no database has ${missing.join(', ')}`);
      return found;
    },
  };
}
