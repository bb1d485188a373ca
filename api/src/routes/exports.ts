import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import type { Config } from '../config.js';
import { contentDisposition } from '../export/export-writers.js';
import { AppError } from '../lib/app-error.js';
import { defineRoute, userIdOf } from '../lib/route.js';
import { rateLimitKey } from '../plugins/external/rate-limit.js';

const HOUR_MS = 3_600_000;

/**
 * Exports. Starting one is limited per user and per format (RATE_LIMIT_EXPORTS_PER_HOUR, counted by
 * @fastify/rate-limit in its store: Redis when configured, so every instance shares the count). The format is in
 * the body, so the count is taken in the handler, after validation, rather than in the route's onRequest hook.
 */
export default async function exportRoutes(app: FastifyInstance, { config }: { config: Config }) {
  const { exports } = app.services;
  const countExport = app.createRateLimit({
    max: config.rateLimit.exportsPerHour,
    timeWindow: HOUR_MS,
    keyGenerator: (request) => rateLimitKey(`export:${(request.body as { format: string }).format}`)(request),
  });

  defineRoute(app, endpoints.startExport, async (request) => {
    const counted = await countExport(request);
    // No allow-list is configured, so every user is counted.
    if (counted.isAllowed) throw new Error('exports are counted for every user');
    if (counted.isExceeded) {
      const retryAfterS = Math.max(1, counted.ttlInSeconds);
      const minutes = Math.ceil(retryAfterS / 60);
      throw new AppError('RATE_LIMITED', `You have made ${counted.max} ${request.body.format.toUpperCase()} exports this hour; you can export again in ${minutes} min.`, { retryAfterS, limit: counted.max }, {
        'retry-after': String(retryAfterS),
      });
    }
    return exports.start(request.principal.user, request.params.bookId, request.body);
  });

  defineRoute(app, endpoints.listExports, async (request) => exports.list(userIdOf(request), request.params.bookId, request.query));

  defineRoute(app, endpoints.downloadExport, async (request, reply) => {
    const { record, content } = await exports.download(userIdOf(request), request.params.bookId, request.params.exportId);
    reply.type(record.mediaType).header('content-disposition', contentDisposition(record.filename)).header('content-length', record.bytes);
    await reply.send(content);
  });
}
