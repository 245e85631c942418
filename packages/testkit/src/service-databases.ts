// The two databases a service runs on in its process tests: its own and the bus's (the postgres
// transport), made together and dropped together.
import { type TestDatabase, testDatabase } from './test-database.ts';

export interface ServiceDatabases {
  /** The service's own database (empty: the test migrates it as it needs). */
  db: TestDatabase;
  /** The bus's database. */
  bus: TestDatabase;
  /** DATABASE_URL and BUS_DATABASE_URL for the service's process. */
  readonly env: { DATABASE_URL: string; BUS_DATABASE_URL: string };
  /** Drops the service's database and makes an empty one (for a start that migrates from nothing). */
  renewDb(): Promise<void>;
  drop(): Promise<void>;
}

export async function serviceDatabases(): Promise<ServiceDatabases> {
  const db = await testDatabase();
  try {
    const bus = await testDatabase();
    const dbs: ServiceDatabases = {
      db,
      bus,
      get env() {
        return { DATABASE_URL: dbs.db.url, BUS_DATABASE_URL: dbs.bus.url };
      },
      async renewDb() {
        await dbs.db.drop();
        dbs.db = await testDatabase();
      },
      async drop() {
        await dbs.db.drop();
        await dbs.bus.drop();
      },
    };
    return dbs;
  } catch (err) {
    await db.drop();
    throw err;
  }
}
