import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateGroup } from '../../../../shared/contract/endpoint.js';
import type { Config } from '../../config.js';
import { AppError } from '../../lib/app-error.js';
import { createFailoverStore } from './rate-limit-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where rate limits are counted right now: Redis (shared by every instance) or this process (Redis down). */
    rateLimitCounting(): 'redis' | 'memory';
  }
  interface FastifyContextConfig {
    /** The route's rate-limit group (from its endpoint declaration); `default` when absent. */
    rateGroup?: RateGroup;
  }
}

/** The caller a limit counts: the user when the request authenticated, else the address. */
const caller = (request: FastifyRequest) => (request.principal ? `u:${request.principal.user.id}` : `ip:${request.ip}`);

/**
 * The key of a group's counter. The group is part of the key rather than @fastify/rate-limit's route `groupId`, which
 * the plugin also appends to `createRateLimit` keys and so would count failed sign-ins per route group.
 */
export const rateLimitKey = (group: string) => (request: FastifyRequest) => `${group}:${caller(request)}`;

/**
 * @fastify/rate-limit on every route, after the route's own onRequest hooks (authentication), so a signed-in
 * request is counted against its user and an anonymous one against its address. Limits a minute: the route's group
 * (default, ai, auth) decides the maximum. Counted in Redis when configured, so instances share one window; in this
 * process while Redis is down (see rate-limit-store.ts). Refusals are 429 RATE_LIMITED in the shared error shape,
 * with Retry-After and the x-ratelimit-* headers.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const perGroup: Record<RateGroup, number> = {
      default: config.rateLimit.defaultPerMin,
      ai: config.rateLimit.aiPerMin,
      auth: config.rateLimit.authPerMin,
    };
    const { Store, counting } = createFailoverStore({
      redis: app.redis,
      prefix: 'aa-rl:',
      onSwitch: (to) =>
        to === 'memory'
          ? app.log.warn('rate limits are counted in this process until Redis answers again')
          : app.log.info('rate limits are counted in Redis again'),
    });
    app.decorate('rateLimitCounting', counting);

    // Before the plugin's own onRoute hook (hooks run in the order added): a route's group becomes its limit.
    app.addHook('onRoute', (route) => {
      const group = route.config?.rateGroup;
      if (group && group !== 'default') {
        route.config = { ...route.config, rateLimit: { max: perGroup[group], keyGenerator: rateLimitKey(group) } };
      }
    });

    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      timeWindow: 60_000,
      max: perGroup.default,
      keyGenerator: rateLimitKey('default'),
      store: Store,
      errorResponseBuilder: (_request, context) => {
        const retryAfterS = Math.max(1, Math.ceil(context.ttl / 1000));
        return new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfterS} s.`, { retryAfterS, limit: context.max });
      },
    });
  },
  { name: 'rate-limit', dependencies: ['redis'] },
);
