// A second baseline (`BENCH_TARGETS=...,stock`): Fastify with the API's stock request stack and nothing of the API —
// pino at the API's bench level with its redaction, @fastify/helmet with the JSON-answer headers, @fastify/cors with an
// origin check, @fastify/rate-limit on every route, and the x-request-id / cache-control headers — answering a small
// JSON body. GET chapter against it is what the API's own code (auth, store, serializer, metrics) costs.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { serverOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { JSON_ANSWER_HEADERS } from '../src/plugins/external/security.js';

const config = loadConfig({ LOG_LEVEL: 'warn' });
const app = Fastify({ logger: serverOptions(config).logger, requestIdHeader: false });
app.addHook('onRequest', (request, reply, done) => {
  reply.header('x-request-id', request.id);
  reply.header('cache-control', 'no-store');
  done();
});
await app.register(helmet, JSON_ANSWER_HEADERS);
await app.register(cors, { origin: (_origin, callback) => callback(null, false), credentials: false });
await app.register(rateLimit, { global: true, hook: 'onRequest', max: 1_000_000, timeWindow: 60_000 });
app.get('/', async () => ({ hello: 'world' }));

const host = '127.0.0.1';
await app.listen({ port: Number(process.env.PORT ?? 0), host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
console.log(`Stock-stack Fastify listening on http://${host}:${port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
