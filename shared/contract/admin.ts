import {
  ADMIN_LIMITS, AdminStatsQuerySchema, AdminStatsSchema, AdminUsageQuerySchema, AdminUsageSchema, UsageFilterQuerySchema,
} from '../schemas/admin.js';
import { endpoint } from './endpoint.js';

/** The dashboard's reports: usage from the ledger (JSON and CSV) and the overview with system state. */
export const adminEndpoints = {
  adminUsage: endpoint({
    method: 'GET', path: '/v1/admin/usage', auth: 'admin', tag: 'admin', status: 200,
    summary: 'The usage ledger filtered by date, user, operation, model and outcome: a page of rows, totals, groups',
    query: AdminUsageQuerySchema, response: AdminUsageSchema,
  }),
  adminUsageCsv: endpoint({
    method: 'GET', path: '/v1/admin/usage.csv', auth: 'admin', tag: 'admin', status: 200, produces: 'text/csv',
    // No response schema: the body is RFC 4180 CSV (CRLF, header row), not JSON.
    summary: `The filtered usage ledger as CSV, newest first (at most ${ADMIN_LIMITS.usageCsvMaxRows} rows)`,
    query: UsageFilterQuerySchema,
  }),
  adminStats: endpoint({
    method: 'GET', path: '/v1/admin/stats', auth: 'admin', tag: 'admin', status: 200,
    summary: 'Overview for 24h, 7d or 30d (requests, AI calls, tokens, cost, cache, 429s, errors, p95 latency) and system state',
    query: AdminStatsQuerySchema, response: AdminStatsSchema,
  }),
};
