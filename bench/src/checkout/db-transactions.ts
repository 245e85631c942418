// Transactions per database while a phase runs, from pg_stat_database (commits and rollbacks):
// what one order costs PostgreSQL in round trips that end in a commit, database by database.
// PostgreSQL flushes a backend's counters at most once a second, so a phase of tens of seconds
// reads them to within a few percent.
import { type PostgresTarget, withClient } from './postgres-target.ts';

export type TransactionCounts = Map<string, number>;

export interface DatabaseTransactions {
  database: string;
  transactions: number;
  perOrder: number;
}

export async function countTransactions(target: PostgresTarget): Promise<TransactionCounts> {
  return withClient(target, 'postgres', async (client) => {
    const { rows } = await client.query<{ datname: string; n: string }>(
      `SELECT datname, (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.datname, Number(r.n)]));
  });
}

/** Transactions per database between two counts, and per order; most first, idle ones left out. */
export function transactionsBetween(
  start: TransactionCounts,
  end: TransactionCounts,
  orders: number,
): DatabaseTransactions[] {
  return [...end]
    .map(([database, n]) => {
      const transactions = n - (start.get(database) ?? 0);
      return { database, transactions, perOrder: Math.round((transactions / Math.max(1, orders)) * 10) / 10 };
    })
    .filter((d) => d.transactions > 0)
    .sort((a, b) => b.transactions - a.transactions);
}
