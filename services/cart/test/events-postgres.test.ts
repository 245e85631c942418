// The consumers with carts in Postgres.
import { eventsContract } from './events-contract.ts';

eventsContract('Postgres', async () => ({ stop: async () => {} }));
