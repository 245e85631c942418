export { assertProblem, type InjectedResponse, type ProblemBody } from './assert-problem.ts';
export {
  type BusEvent,
  type BusPublisher,
  handled,
  outboxEvents,
  published,
  publishOnBus,
} from './bus-events.ts';
export { eventually } from './eventually.ts';
export { freePort } from './free-port.ts';
export { type RunningScript, runScript, type ScriptExit } from './run-script.ts';
export { type ServiceDatabases, serviceDatabases } from './service-databases.ts';
export {
  type ServiceProcess,
  type ServiceProcessOptions,
  startServiceProcess,
} from './service-process.ts';
export { type ServiceScripts, serviceScripts } from './service-scripts.ts';
export { type RunningPostgres, type StartPostgresOptions, startPostgres } from './start-postgres.ts';
export {
  RABBITMQ_SERVER,
  RabbitMqNotInstalledError,
  type RunningRabbitMq,
  rabbitMqInstalled,
  type StartRabbitMqOptions,
  startRabbitMq,
  TEST_AMQP_URL_ENV,
  testAmqpUrl,
} from './start-rabbitmq.ts';
export {
  REDIS_SERVER,
  RedisNotInstalledError,
  type RunningRedis,
  redisInstalled,
  startRedis,
  TEST_REDIS_URL_ENV,
  testRedisUrl,
} from './start-redis.ts';
export {
  TEST_PG_URL_ENV,
  type TestDatabase,
  testDatabase,
  testServerUrl,
  withDatabase,
} from './test-database.ts';
export { migratedDatabase, type Testbed, type TestbedOptions, withTestbed } from './testbed.ts';
export { bearer, type SignOptions, TestTokenIssuer } from './token-issuer.ts';
