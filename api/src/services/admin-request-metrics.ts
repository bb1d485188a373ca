import type { RequestMetricsStore, RequestMinute } from '../stores/admin-types.js';

const MINUTE_MS = 60_000;

/**
 * Upper bounds (ms) of the latency histogram's buckets; one more bucket counts everything slower. Histograms add
 * up across minutes and instances, which is what makes a p95 over any range exact to the bucket.
 */
export const LATENCY_BOUNDS_MS = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1_000, 1_500, 2_000, 3_000, 5_000, 7_000,
  10_000, 15_000, 20_000, 30_000, 60_000,
] as const;

/** Index of the bucket that counts a request of `latencyMs`. */
export function latencyBucket(latencyMs: number): number {
  let i = 0;
  while (i < LATENCY_BOUNDS_MS.length && latencyMs > LATENCY_BOUNDS_MS[i]!) i++;
  return i;
}

/**
 * The `q` quantile (0–1) of a histogram, interpolated linearly inside its bucket; null when it counts nothing.
 * The overflow bucket reports its lower bound (the largest finite bound).
 */
export function histogramQuantile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BOUNDS_MS[i];
      if (upper === undefined) return lower;
      return Math.round((lower + ((rank - seen) / count) * (upper - lower)) * 10) / 10;
    }
    seen += count;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}

/** Adds histograms bucket by bucket. */
export function addHistograms(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/** What the rollup needs to know of one answered request. */
export interface ObservedRequest {
  statusCode: number;
  /** The shared error code when the request failed with one (tells quota 429s from rate-limit 429s). */
  errorCode: string | null;
  /** Null for a stream (server-sent events last as long as their job): counted, not timed. */
  latencyMs: number | null;
}

const emptyMinute = (minuteMs: number): RequestMinute => ({
  minute: new Date(minuteMs).toISOString(), requests: 0, clientErrors: 0, serverErrors: 0, quota429: 0, rateLimited429: 0,
  latencyTotalMs: 0, latencyBuckets: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0),
});

/**
 * The request-metrics rollup: counts answered requests per minute in memory and flushes finished minutes to the
 * store, where rows of the same minute add up. `unflushed()` lets reports include what is not stored yet.
 */
export function createRequestMetrics(deps: { store: RequestMetricsStore; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const open = new Map<number, RequestMinute>();
  /** Minutes handed to the store and not yet confirmed written (still reported, so nothing blinks out). */
  let inFlight: RequestMinute[] = [];
  let last: { minuteMs: number; minute: RequestMinute } | null = null;

  function minuteAt(ms: number): RequestMinute {
    const minuteMs = ms - (ms % MINUTE_MS);
    if (last?.minuteMs === minuteMs) return last.minute;
    let minute = open.get(minuteMs);
    if (!minute) {
      minute = emptyMinute(minuteMs);
      open.set(minuteMs, minute);
    }
    last = { minuteMs, minute };
    return minute;
  }

  return {
    observe(request: ObservedRequest): void {
      const minute = minuteAt(now());
      minute.requests++;
      const status = request.statusCode;
      if (status === 429) {
        if (request.errorCode === 'QUOTA_EXCEEDED') minute.quota429++;
        else minute.rateLimited429++;
      } else if (status >= 500) minute.serverErrors++;
      else if (status >= 400) minute.clientErrors++;
      if (request.latencyMs === null) return;
      minute.latencyTotalMs += request.latencyMs;
      minute.latencyBuckets[latencyBucket(request.latencyMs)]!++;
    },

    /** Writes finished minutes (every minute with `all`, at shutdown or in tests) to the store; returns how many. */
    async flush(options: { all?: boolean } = {}): Promise<number> {
      const currentMinuteMs = now() - (now() % MINUTE_MS);
      const due = [...open.entries()].filter(([minuteMs]) => options.all || minuteMs < currentMinuteMs);
      if (due.length === 0) return 0;
      for (const [minuteMs] of due) open.delete(minuteMs);
      last = null;
      const batch = due.map(([, minute]) => minute);
      inFlight = [...inFlight, ...batch];
      try {
        await deps.store.add(batch);
      } catch (error) {
        // Kept in memory (merged with anything newer of the same minute) for the next flush.
        for (const minute of batch) {
          const minuteMs = Date.parse(minute.minute);
          const newer = open.get(minuteMs);
          open.set(minuteMs, newer ? mergeMinutes(minute, newer) : minute);
        }
        throw error;
      } finally {
        inFlight = inFlight.filter((minute) => !batch.includes(minute));
      }
      return batch.length;
    },

    /** Minutes counted in memory and not yet in the store. */
    unflushed(): RequestMinute[] {
      return [...inFlight, ...open.values()];
    },
  };
}
export type RequestMetrics = ReturnType<typeof createRequestMetrics>;

/** Two counts of the same minute, added. */
export function mergeMinutes(a: RequestMinute, b: RequestMinute): RequestMinute {
  return {
    minute: a.minute, requests: a.requests + b.requests, clientErrors: a.clientErrors + b.clientErrors,
    serverErrors: a.serverErrors + b.serverErrors, quota429: a.quota429 + b.quota429,
    rateLimited429: a.rateLimited429 + b.rateLimited429, latencyTotalMs: a.latencyTotalMs + b.latencyTotalMs,
    latencyBuckets: addHistograms([...a.latencyBuckets], b.latencyBuckets),
  };
}
