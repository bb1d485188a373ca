import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Config } from '../../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared Redis client when `REDIS_URL` is set, else null. */
    redis: Redis | null;
  }
}

/** How long start-up waits for the first connection before carrying on without Redis (degraded). */
const CONNECT_WAIT_MS = 3_000;
/** A readiness probe slower than this counts as an outage. */
const PING_TIMEOUT_MS = 1_000;

export interface RedisCheck {
  ok: boolean;
  details: Record<string, unknown>;
}

/** One PING with a deadline; never throws, so readiness can report Redis as degraded instead of failing. */
export async function checkRedis(redis: Redis): Promise<RedisCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, details: { latencyMs: Math.round((performance.now() - started) * 10) / 10 } };
  } catch {
    // Readiness is public: the connection state only, never the error text (it names hosts and ports).
    return { ok: false, details: { connection: redis.status } };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The Redis client shared by the rate limiter and the AI cache. Built to fail fast: no offline queue, one retry
 * per command and a command timeout, so an outage costs each caller one quick error (which they tolerate)
 * rather than a hung request. It keeps reconnecting in the background; start-up never waits long for it.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    if (!config.redisUrl) {
      app.decorate('redis', null);
      return;
    }
    const redis = new Redis(config.redisUrl, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });

    // Log transitions only: a long outage would otherwise log one line per reconnect attempt.
    let healthy = false;
    let errorLogged = false;
    redis.on('ready', () => {
      healthy = true;
      app.log.info('redis connected');
    });
    redis.on('error', (error: Error) => {
      if (healthy || !errorLogged) app.log.warn({ err: error }, 'redis unavailable: rate limits are counted per instance and the AI cache uses memory and the store until it returns');
      healthy = false;
      errorLogged = true;
    });

    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        redis.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, CONNECT_WAIT_MS);
      redis.once('ready', done);
      redis.once('error', done);
    });

    app.decorate('redis', redis);
    app.addHook('onClose', async () => {
      if (redis.status === 'ready') {
        try {
          await redis.quit();
          return;
        } catch {
          // fall through to a hard disconnect
        }
      }
      redis.disconnect();
    });
  },
  { name: 'redis' },
);
