import type { ErrorCode } from '../../../shared/errors.js';
import { AppError } from '../lib/app-error.js';
import type { PurgeBudget } from './batched-purge.js';
import type { JobCreateDecision, JobCreateState, JobRecord, JobStatus, QuotaCheck } from '../stores/engine-types.js';

/** At most this many jobs of one user run at once (the others wait in the queue). */
export const MAX_RUNNING_PER_USER = 2;

export const ACTIVE_STATUSES: readonly JobStatus[] = ['queued', 'running'];
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Retention: a job that ended (final status) is kept this long after it ended, then deleted with its events by the
 * hourly sweep; queued and running jobs never are. Longer than an export's file is kept, so an export's job outlives
 * it. Quotas and usage reports read the ledger and active jobs only, so nothing they count goes with it.
 */
export const ENDED_JOB_RETENTION_DAYS = 30;
/** Retention deletes up to this many jobs (each with all its events) per store transaction, within this budget per sweep. */
export const JOB_PURGE: PurgeBudget = { batch: 100, budgetMs: 2_000 };

/** Failures worth trying again: the model or the network may answer next time, and a conflict may clear. */
const RETRYABLE: ReadonlySet<string> = new Set<ErrorCode>(['AI_UNAVAILABLE', 'AI_INVALID_OUTPUT', 'RATE_LIMITED', 'CONFLICT']);

export type JobError = NonNullable<JobRecord['error']>;

export const CANCELLED: JobError = { code: 'JOB_CANCELLED', message: 'Cancelled.', retryable: true };
export const INTERRUPTED: JobError = { code: 'JOB_INTERRUPTED', message: 'The server running it stopped before it finished; nothing was changed. Start it again.', retryable: true };

/** The job error an exception becomes (unexpected ones are hidden behind INTERNAL and reported by the caller). */
export function jobErrorOf(reason: unknown): { error: JobError; unexpected: boolean } {
  if (reason instanceof AppError) return { error: { code: reason.code, message: reason.message, retryable: RETRYABLE.has(reason.code) }, unexpected: false };
  return { error: { code: 'INTERNAL', message: 'The job failed on our side; it has been logged.', retryable: true }, unexpected: true };
}

/**
 * The rules for creating a job, applied by the store inside its transaction: one active job per (user, kind,
 * target) — the same request gets it back, other parameters are refused — then the quota: the reservation must fit
 * under the daily and monthly limits together with what was used and what active jobs hold.
 */
export function decideJobCreate(job: JobRecord, quota: QuotaCheck | null) {
  return ({ active, use }: JobCreateState): JobCreateDecision => {
    if (active) return { outcome: active.paramsHash === job.paramsHash ? 'existing' : 'job_active', job: active };
    if (!quota || quota.reserveTokens <= 0) return { outcome: 'create', reservedTokens: 0 };
    const checks = [['daily', quota.dailyLimit, use.dayUsed], ['monthly', quota.monthlyLimit, use.monthUsed]] as const;
    for (const [window, limit, used] of checks) {
      if (limit !== null && used + use.reserved + quota.reserveTokens > limit) return { outcome: 'quota', window, limit, used: used + use.reserved };
    }
    return { outcome: 'create', reservedTokens: quota.reserveTokens };
  };
}
