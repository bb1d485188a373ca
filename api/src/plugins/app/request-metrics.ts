import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createRequestMetrics, type RequestMetrics } from '../../services/admin-request-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Per-minute request counts (status classes, 429 kinds, latency histogram) behind the admin overview. */
    requestMetrics: RequestMetrics;
  }
}

const FLUSH_INTERVAL_MS = 60_000;
/** Minute rows older than this are dropped (the overview reaches back 30 days). */
const RETENTION_DAYS = 90;
const FLUSHES_PER_PURGE = 60;

/**
 * The request-metrics rollup: every answered request is counted in memory per minute (callback hooks, no promise
 * per request) and finished minutes are flushed to the store once a minute and at shutdown.
 */
export default fp(
  async (app) => {
    const metrics = createRequestMetrics({ store: app.store.requestMetrics });
    app.decorate('requestMetrics', metrics);
    // Only failed requests get an entry: their error code tells a quota 429 from a rate-limit 429.
    const errorCodes = new WeakMap<FastifyRequest, string>();

    app.addHook('onError', (request, _reply, error, done) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string') errorCodes.set(request, code);
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      // An event stream (the panels ask for one with this Accept header) lasts as long as its job: not a latency.
      const streaming = request.headers.accept?.includes('text/event-stream') ?? false;
      metrics.observe({ statusCode: reply.statusCode, errorCode: errorCodes.get(request) ?? null, latencyMs: streaming ? null : reply.elapsedTime });
      done();
    });

    let flushes = 0;
    const tick = async () => {
      try {
        await metrics.flush();
        if (++flushes % FLUSHES_PER_PURGE === 0) {
          await app.store.requestMetrics.purgeBefore(new Date(Date.now() - RETENTION_DAYS * 86_400_000).toISOString());
        }
      } catch (error) {
        app.log.error({ err: error }, 'request metrics flush failed');
      }
    };
    const timer = setInterval(tick, FLUSH_INTERVAL_MS).unref();
    // onClose hooks run in reverse order of registration, so this flush comes before the store closes.
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await metrics.flush({ all: true }).catch((error: unknown) => app.log.error({ err: error }, 'request metrics final flush failed'));
    });
  },
  { name: 'request-metrics', dependencies: ['store'] },
);
