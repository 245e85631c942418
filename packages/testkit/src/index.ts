export { freePort } from './free-port.ts';
export { type RunningPostgres, type StartPostgresOptions, startPostgres } from './start-postgres.ts';
export {
  TEST_PG_URL_ENV,
  type TestDatabase,
  testDatabase,
  testServerUrl,
  withDatabase,
} from './test-database.ts';
