import type { Config } from '../config.js';
import { AppError } from '../lib/app-error.js';
import type { JobsStore, LedgerStore } from '../stores/engine-types.js';
import type { UserRecord } from '../stores/types.js';
import { purgeInBatches } from './batched-purge.js';
import type { Clock } from './clock.js';
import { ACTIVE_STATUSES } from './job-rules.js';
import { LEDGER_PURGE, ledgerCutoff } from './metering-rules.js';

/** Calendar UTC day and month windows around `now`. */
export function quotaWindows(now: Date) {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return {
    dayStart: dayStart.toISOString(),
    dayReset: new Date(dayStart.getTime() + 86_400_000).toISOString(),
    monthStart: monthStart.toISOString(),
    monthReset: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
  };
}

/**
 * The refusal of a job that would pass a quota: what it needed, what is left and when the window resets, in the
 * error's details and the `x-quota-*` headers, so a panel can say all three and offer no retry before the reset.
 */
export function quotaExceeded(
  refused: { window: 'daily' | 'monthly'; limit: number; used: number },
  needed: number,
  windows: ReturnType<typeof quotaWindows>,
): AppError {
  const resetAt = refused.window === 'daily' ? windows.dayReset : windows.monthReset;
  const remaining = Math.max(0, refused.limit - refused.used);
  const period = refused.window === 'daily' ? 'today' : 'this month';
  return new AppError(
    'QUOTA_EXCEEDED',
    `This needs about ${needed.toLocaleString('en-US')} tokens, and ${remaining.toLocaleString('en-US')} are left of your AI quota ${period}; it resets at ${resetAt}.`,
    { window: refused.window, limit: refused.limit, used: refused.used, needed, remaining, resetAt },
    { 'x-quota-limit': String(refused.limit), 'x-quota-remaining': String(remaining), 'x-quota-reset': resetAt },
  );
}

/** Token quotas per user per day and month (config defaults, per-user overrides by admins), and the ledger's retention. */
export function createQuotaService(deps: { jobs: JobsStore; ledger: LedgerStore; config: Config; clock: Clock }) {
  const limitsFor = (user: UserRecord) => ({
    daily: user.quotaDailyTokens ?? deps.config.quota.dailyTokens,
    monthly: user.quotaMonthlyTokens ?? deps.config.quota.monthlyTokens,
  });

  return {
    limitsFor,

    /** The limits and windows a new job's reservation is checked against. */
    check(user: UserRecord, reserveTokens: number) {
      const windows = quotaWindows(deps.clock.now());
      const limits = limitsFor(user);
      return { reserveTokens, dailyLimit: limits.daily, monthlyLimit: limits.monthly, dayStart: windows.dayStart, monthStart: windows.monthStart };
    },

    async usage(user: UserRecord) {
      const windows = quotaWindows(deps.clock.now());
      const limits = limitsFor(user);
      const use = await deps.jobs.quotaUse(user.id, windows.dayStart, windows.monthStart);
      const window = (limit: number, used: number, resetAt: string) => ({
        limit, used, reserved: use.reserved, remaining: Math.max(0, limit - used - use.reserved), resetAt,
      });
      const totals = await deps.ledger.totals(user.id, windows.monthStart);
      return {
        daily: window(limits.daily, use.dayUsed, windows.dayReset),
        monthly: window(limits.monthly, use.monthUsed, windows.monthReset),
        month: {
          calls: totals.calls, cachedCalls: totals.cachedCalls, inputTokens: totals.inputTokens, outputTokens: totals.outputTokens,
          costUsd: totals.costMicros / 1e6,
        },
        recent: (await deps.ledger.listByUser(user.id, 20)).map((row) => ({
          id: row.id, bookId: row.bookId, jobId: row.jobId, operation: row.operation, provider: row.provider, model: row.model,
          inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costMicros / 1e6, cached: row.cached,
          outcome: row.outcome, latencyMs: row.latencyMs, createdAt: row.createdAt,
        })),
      };
    },

    windows: () => quotaWindows(deps.clock.now()),

    /**
     * Retention (the hourly sweep): deletes the ledger rows older than LEDGER_RETENTION_DAYS, except those of a job
     * still queued or running, a batch per transaction within the sweep's time budget (LEDGER_PURGE); returns how
     * many went. Every quota window starts after the cutoff, so no quota or usage figure of this month changes.
     */
    async purgeExpiredUsage(): Promise<number> {
      const query = { createdBefore: ledgerCutoff(deps.clock), keepJobStatuses: ACTIVE_STATUSES };
      return purgeInBatches((limit) => deps.ledger.purge({ ...query, limit }), LEDGER_PURGE);
    },
  };
}
export type QuotaService = ReturnType<typeof createQuotaService>;
