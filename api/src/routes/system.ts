import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { LIMITS } from '../../../shared/limits.js';
import { APP_VERSION, type Config } from '../config.js';
import { defineRoute } from '../lib/route.js';

const startedAt = Date.now();

export default async function systemRoutes(app: FastifyInstance, { config }: { config: Config }) {
  defineRoute(app, endpoints.live, async () => ({ status: 'ok' as const }));

  defineRoute(app, endpoints.ready, async (_request, reply) => {
    const store = await app.store.health();
    const body = {
      status: store.ok ? ('ok' as const) : ('down' as const),
      version: APP_VERSION,
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
      checks: { store: { status: store.ok ? ('ok' as const) : ('down' as const), details: store.details } },
    };
    if (!store.ok) reply.code(503);
    return body;
  });

  defineRoute(app, endpoints.meta, async () => ({
    name: 'Auto-Author',
    version: APP_VERSION,
    ai: { provider: config.ai.provider, offline: config.ai.provider === 'offline' },
    googleSignIn: app.services.googleSignIn.enabled,
    limits: { ...LIMITS },
  }));
}
