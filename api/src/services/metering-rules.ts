import type { LedgerRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';
import type { PurgeBudget } from './batched-purge.js';
import { daysAgo, type Clock } from './clock.js';

const DAY_MS = 86_400_000;

/**
 * Retention: a ledger row (one metered AI call) is kept this long, then deleted by the hourly sweep, except the rows
 * of a job still queued or running (its reservation is settled against them). Quota windows reach back a month at
 * most, so they never miss a row; an admin usage report reaching further back says that older calls may be missing.
 */
export const LEDGER_RETENTION_DAYS = 400;
/** Retention deletes up to this many ledger rows per store transaction, within this budget per sweep. */
export const LEDGER_PURGE: PurgeBudget = { batch: 1_000, budgetMs: 2_000 };

/** Rows recorded before this instant are deleted by the next sweep. */
export const ledgerCutoff = (clock: Clock) => daysAgo(clock, LEDGER_RETENTION_DAYS);

/**
 * What reports say the ledger holds: every call since the start of the first UTC day after the cutoff (the unit of
 * their filters; the same answer all day long); calls before it may have been deleted.
 */
export function ledgerKeptSince(clock: Clock): string {
  const cutoff = Date.parse(ledgerCutoff(clock));
  return new Date(Math.ceil(cutoff / DAY_MS) * DAY_MS).toISOString();
}

/**
 * Records a metered AI call. A call made for a job lowers the job's reservation by the tokens it used (never below
 * zero) in the same transaction, so a quota check never counts those tokens twice (as used and as reserved).
 */
export async function recordMeteredCall(store: Store, entry: LedgerRecord): Promise<void> {
  const used = entry.inputTokens + entry.outputTokens;
  const jobId = entry.jobId;
  if (!jobId || used <= 0) return store.ledger.record(entry);
  await store.atomically(async (tx) => {
    await tx.ledger.record(entry);
    const job = await tx.jobs.getById(jobId);
    if (job) await tx.jobs.setReservedTokens(jobId, Math.max(0, job.reservedTokens - used));
  });
}
