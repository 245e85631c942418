// The baseline of product-read: a bare Fastify route answering a constant product, the
// same bytes the product service returned for the benchmarked id, pre-serialised (as the
// service's cache serves them). No chassis: no logging, metrics, request ids, security
// headers, validation or database. Runs as its own process, like the service.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const bodyFile = process.env.BENCH_BODY_FILE;
if (!bodyFile) throw new Error('baseline-server: BENCH_BODY_FILE is required');
const body = readFileSync(bodyFile, 'utf8');

const app = Fastify({ logger: false });
app.get('/products/:id', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));

process.once('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
