import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { AppError } from '../../lib/app-error.js';

const groupOf = (request: FastifyRequest) => request.routeOptions.config?.rateGroup ?? 'default';

/** Per-minute limits keyed by user (address only when anonymous), stricter for AI and auth groups; shared through Redis when configured. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const perGroup: Record<string, number> = {
      default: config.rateLimit.defaultPerMin,
      ai: config.rateLimit.aiPerMin,
      auth: config.rateLimit.authPerMin,
    };
    await app.register(rateLimit, {
      global: true,
      timeWindow: 60_000,
      // With Redis every instance counts against the same window; a Redis outage skips limiting instead of failing requests.
      ...(app.redis ? { redis: app.redis, nameSpace: 'aa-rl:', skipOnError: true } : {}),
      // The key starts with the group (below), which spares reading the route's options a second time.
      max: (_request, key) => perGroup[key.slice(0, key.indexOf(':'))] ?? config.rateLimit.defaultPerMin,
      keyGenerator: (request) =>
        `${groupOf(request)}:${request.principal ? `u:${request.principal.user.id}` : `ip:${request.ip}`}`,
      errorResponseBuilder: (_request, context) => {
        const retryAfterS = Math.max(1, Math.ceil(context.ttl / 1000));
        return new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfterS} s.`, { retryAfterS, limit: context.max });
      },
    });
  },
  { name: 'rate-limit', dependencies: ['auth', 'redis'] },
);
