// The baseline: Fastify with nothing but one route, run like the API (own process, tsx loader, no logger output).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const host = '127.0.0.1';
await app.listen({ port: Number(process.env.PORT ?? 0), host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
console.log(`Bare Fastify listening on http://${host}:${port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
