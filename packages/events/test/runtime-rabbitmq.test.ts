// The runtime suite over the RabbitMQ transport, on a private node the suite can take down and
// bring back (same port, same data), as the PostgreSQL suite does with its bus server.
import { rabbitMqInstalled, startRabbitMq } from '@shopnow/testkit';
import { createRabbitMqTransport } from '../src/transports/rabbitmq.ts';
import { runRuntimeContract } from './runtime-contract.ts';
import { quietLogger } from './support/runtime-fixture.ts';

// Under CI a missing broker fails the suite (startRabbitMq throws) instead of skipping it.
const skip =
  !rabbitMqInstalled() && !process.env.CI
    ? 'rabbitmq-server is not installed here (apt-get install rabbitmq-server); the RabbitMQ runtime suite is skipped'
    : false;

runRuntimeContract(
  'rabbitmq',
  async () => {
    const broker = await startRabbitMq();
    return {
      transport: () =>
        createRabbitMqTransport({ url: broker.url, logger: quietLogger, connectTimeoutMs: 30_000 }),
      outage: async () => {
        await broker.down();
        return () => broker.up();
      },
      teardown: () => broker.stop(),
    };
  },
  { skip },
);
