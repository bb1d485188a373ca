import type { LedgerRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';

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
