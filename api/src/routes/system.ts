import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { LIMITS } from '../../../shared/limits.js';
import { APP_VERSION, type Config } from '../config.js';
import { defineRoute } from '../lib/route.js';
import { checkRedis } from '../plugins/external/redis.js';
import { TEMPLATE_PROVIDER } from '../../../shared/template-mode.js';

const startedAt = Date.now();

export default async function systemRoutes(app: FastifyInstance, { config }: { config: Config }) {
  defineRoute(app, endpoints.live, async () => ({ status: 'ok' as const }));

  defineRoute(app, endpoints.ready, async (_request, reply) => {
    const [store, redis] = await Promise.all([app.store.health(), app.redis ? checkRedis(app.redis) : null]);
    const checks: Record<string, { status: 'ok' | 'degraded' | 'down'; details: Record<string, unknown> | null }> = {
      store: { status: store.ok ? 'ok' : 'down', details: store.details },
    };
    // Redis is shared state, not a dependency: without it the API still serves, so it can only degrade readiness.
    // Meanwhile rate limits are counted per instance (`rateLimits: memory`).
    const redisOk = redis?.ok && app.rateLimitCounting() === 'redis';
    if (redis) checks.redis = { status: redisOk ? 'ok' : 'degraded', details: { ...redis.details, rateLimits: app.rateLimitCounting() } };
    // AI: degraded when every model of the chain is cooling down after failures; editing keeps working.
    const provider = app.ai.gateway.provider;
    const aiDown = provider.models.every((model) => app.ai.breaker.isOpen(model));
    checks.ai = { status: aiDown ? 'degraded' : 'ok', details: { provider: provider.name, offline: provider.offline, models: provider.models } };
    const degraded = (redis && !redisOk) || aiDown;
    const body = {
      status: !store.ok ? ('down' as const) : degraded ? ('degraded' as const) : ('ok' as const),
      version: APP_VERSION,
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
      checks,
    };
    if (!store.ok) reply.code(503);
    return body;
  });

  defineRoute(app, endpoints.meta, async () => ({
    name: 'Auto-Author',
    version: APP_VERSION,
    ai: { provider: config.ai.provider, offline: config.ai.provider === TEMPLATE_PROVIDER },
    googleSignIn: app.services.googleSignIn.enabled,
    limits: { ...LIMITS },
    publicUrl: config.publicUrl,
  }));
}
