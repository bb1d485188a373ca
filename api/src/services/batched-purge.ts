import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * How a retention deletes: a batch of records per store transaction, so that no transaction holds the store long,
 * for at most `budgetMs` per sweep (the sweep also runs before start-up completes). A backlog, such as the first
 * sweep of a long-running server, is worked off over the next hourly sweeps.
 */
export interface PurgeBudget {
  batch: number;
  budgetMs: number;
}

/**
 * Calls `purgeBatch(limit)` (one transaction deleting up to `limit` records, returning how many went) until a batch
 * comes back short or the budget is spent, leaving the event loop free between batches; returns how many went.
 */
export async function purgeInBatches(purgeBatch: (limit: number) => Promise<number>, budget: PurgeBudget): Promise<number> {
  const stopAt = performance.now() + budget.budgetMs;
  let removed = 0;
  for (;;) {
    const batch = await purgeBatch(budget.batch);
    removed += batch;
    if (batch < budget.batch || performance.now() >= stopAt) return removed;
    await nextTurn();
  }
}
