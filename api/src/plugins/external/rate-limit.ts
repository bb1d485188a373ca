import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { AppError } from '../../lib/app-error.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest/preHandler hook counting requests against `max` a minute in `group`, keyed by user (else address). */
    rateLimitHook(group: string, max: number): onRequestHookHandler;
  }
}

const WINDOW_MS = 60_000;
/** Keys counted at once in memory (least recently used dropped first), as @fastify/rate-limit's default. */
const LOCAL_KEYS = 5_000;

/**
 * Per-minute limits keyed by user (address only when anonymous), stricter for the AI and auth groups, counted by
 * @fastify/rate-limit's own stores: in memory, or in Redis when configured so every instance counts against the
 * same window (a Redis outage skips limiting instead of failing requests). The hook is ours, callback style and
 * added to each route after its auth hook, because the plugin's request handler costs a chain of promises on every
 * request (about a seventh of a chapter read); the keys, limits, headers and 429 are the same.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const store = app.redis ? new RedisStore(false, false, app.redis, 'aa-rl:') : new LocalStore(false, false, LOCAL_KEYS);
    const perGroup: Record<string, number> = {
      default: config.rateLimit.defaultPerMin,
      ai: config.rateLimit.aiPerMin,
      auth: config.rateLimit.authPerMin,
    };

    const rateLimitHook = (group: string, max: number): onRequestHookHandler => (request, reply, done) => {
      const key = `${group}:${request.principal ? `u:${request.principal.user.id}` : `ip:${request.ip}`}`;
      store.incr(key, (error, count) => {
        if (error || !count) return done();
        const resetS = Math.ceil(count.ttl / 1000);
        reply.header('x-ratelimit-limit', max);
        reply.header('x-ratelimit-remaining', Math.max(0, max - count.current));
        reply.header('x-ratelimit-reset', resetS);
        if (count.current <= max) return done();
        const retryAfterS = Math.max(1, resetS);
        reply.header('retry-after', retryAfterS);
        done(new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfterS} s.`, { retryAfterS, limit: max }));
      }, WINDOW_MS, max);
    };
    app.decorate('rateLimitHook', rateLimitHook);

    // Every route, after the route's own onRequest hooks (auth), so the key is the user's when there is one.
    app.addHook('onRoute', (route) => {
      const group = route.config?.rateGroup ?? 'default';
      const hook = rateLimitHook(group, perGroup[group] ?? config.rateLimit.defaultPerMin);
      route.onRequest = [...[route.onRequest ?? []].flat(), hook];
    });
  },
  { name: 'rate-limit', dependencies: ['auth', 'redis'] },
);
