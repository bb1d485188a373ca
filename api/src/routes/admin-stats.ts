import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import type { Config } from '../config.js';
import { defineRoute } from '../lib/route.js';
import { createAdminStatsService } from '../services/admin-stats-service.js';
import { createAdminUsageService } from '../services/admin-usage-service.js';
import type { Clock } from '../services/clock.js';

/** The dashboard's reports: usage (JSON and CSV) and the overview. Admin only, like every /v1/admin route. */
export default async function adminStatsRoutes(app: FastifyInstance, options: { config: Config; clock: Clock }) {
  const usage = createAdminUsageService({ store: app.store, clock: options.clock });
  const stats = createAdminStatsService({
    store: app.store, metrics: app.requestMetrics, ai: app.ai, config: options.config, clock: options.clock, redis: Boolean(app.redis),
  });

  defineRoute(app, endpoints.adminUsage, async ({ query }) => usage.report(query));

  defineRoute(app, endpoints.adminUsageCsv, async ({ query }, reply) => {
    const csv = await usage.csv(query);
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${csv.filename}"`)
      .header('x-csv-rows', String(csv.rows))
      .header('x-csv-truncated', String(csv.truncated))
      .header('x-usage-kept-since', csv.retention.keptSince);
    if (csv.retention.note) reply.header('x-usage-retention-note', csv.retention.note);
    reply.send(csv.text);
  });

  defineRoute(app, endpoints.adminStats, async ({ query }) => stats.stats(query.range));
}
