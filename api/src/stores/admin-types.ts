import type { UsageGroupBy } from '../../../shared/schemas/admin.js';
import type { LedgerRecord } from './engine-types.js';

/** Which ledger rows a report covers; null means "any". `from` is inclusive, `to` exclusive (ISO instants). */
export interface LedgerFilter {
  from: string | null;
  to: string | null;
  userId: string | null;
  operation: string | null;
  model: string | null;
  outcome: string | null;
}

/** Sums over ledger rows; money stays in integer micro-dollars in the store. */
export interface LedgerSums {
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

/** Read-only reports over the whole ledger (every user), for the admin dashboard. */
export interface AdminLedgerStore {
  /** Matching rows, newest first (by id), ids below `beforeId`. */
  list(filter: LedgerFilter, page: { limit: number; beforeId: string | null }): Promise<LedgerRecord[]>;
  totals(filter: LedgerFilter): Promise<LedgerSums>;
  /** Sums per day (YYYY-MM-DD, UTC), user id, operation or model; at most `limit` groups, largest token use first. */
  groups(filter: LedgerFilter, groupBy: UsageGroupBy, limit: number): Promise<Array<LedgerSums & { key: string }>>;
  /**
   * Sums per time bucket: `bucket` is floor((createdAt - from) / stepMs) for rows in [from, to).
   * Buckets without rows are left out.
   */
  series(range: { from: string; to: string; stepMs: number }): Promise<Array<LedgerSums & { bucket: number }>>;
}

/** One minute of answered requests, as the request-metrics rollup keeps it. */
export interface RequestMinute {
  /** Start of the minute, ISO 8601 UTC (`…:00.000Z`). */
  minute: string;
  requests: number;
  /** 4xx other than 429. */
  clientErrors: number;
  /** 5xx. */
  serverErrors: number;
  quota429: number;
  rateLimited429: number;
  latencyTotalMs: number;
  /** Request counts per latency bucket (see `LATENCY_BOUNDS_MS`; the last one is the overflow). */
  latencyBuckets: number[];
}

export interface RequestMetricsStore {
  /** Adds each minute's counts to the stored row of that minute (creating it), so flushes and instances add up. */
  add(minutes: RequestMinute[]): Promise<void>;
  /** Stored minutes in [from, to), oldest first. */
  list(from: string, to: string): Promise<RequestMinute[]>;
  purgeBefore(cutoff: string): Promise<number>;
}
