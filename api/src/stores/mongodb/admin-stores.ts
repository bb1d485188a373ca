import type { Db, Document, Filter } from 'mongodb';
import type { AdminLedgerStore, LedgerFilter, LedgerSums, RequestMetricsStore, RequestMinute } from '../admin-types.js';
import type { LedgerRecord } from '../engine-types.js';
import { fromDoc, type Collections, type Doc } from './collections.js';

/** Created by the first upsert (never inside a transaction), so it needs no migration; `_id` (the minute) is its index. */
export const REQUEST_METRICS_COLLECTION = 'request_metrics';

/**
 * A stored minute: `_id` is the minute; the histogram is an object keyed `b<index>` so `$inc` can add to any
 * bucket of an upserted document (a numeric path on a missing array would create an object anyway).
 */
type MinuteDoc = Omit<RequestMinute, 'minute' | 'latencyBuckets'> & { _id: string; latency: Record<string, number> };

const SUMS_GROUP = {
  calls: { $sum: 1 },
  cachedCalls: { $sum: { $cond: ['$cached', 1, 0] } },
  inputTokens: { $sum: '$inputTokens' },
  outputTokens: { $sum: '$outputTokens' },
  costMicros: { $sum: '$costMicros' },
};
const EMPTY_SUMS: LedgerSums = { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };

const GROUP_KEY = { day: { $substrBytes: ['$createdAt', 0, 10] }, user: '$userId', operation: '$operation', model: '$model' } as const;

function matchOf(filter: LedgerFilter): Filter<Doc<LedgerRecord>> {
  const match: Record<string, unknown> = {};
  if (filter.from !== null || filter.to !== null) {
    match.createdAt = { ...(filter.from !== null && { $gte: filter.from }), ...(filter.to !== null && { $lt: filter.to }) };
  }
  if (filter.userId !== null) match.userId = filter.userId;
  if (filter.operation !== null) match.operation = filter.operation;
  if (filter.model !== null) match.model = filter.model;
  if (filter.outcome !== null) match.outcome = filter.outcome;
  return match as Filter<Doc<LedgerRecord>>;
}

export function createMongoAdminLedgerStore({ ledger }: Collections): AdminLedgerStore {
  return {
    async list(filter, { limit, beforeId }) {
      const match = { ...matchOf(filter), ...(beforeId !== null && { _id: { $lt: beforeId } }) } as Filter<Doc<LedgerRecord>>;
      const docs = await ledger.find(match).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => fromDoc<LedgerRecord>(doc));
    },
    async totals(filter) {
      const [sums] = await ledger
        .aggregate<LedgerSums>([{ $match: matchOf(filter) }, { $group: { _id: null, ...SUMS_GROUP } }, { $project: { _id: 0 } }])
        .toArray();
      return sums ?? EMPTY_SUMS;
    },
    async groups(filter, groupBy, limit) {
      const sort: Document = groupBy === 'day' ? { key: 1 } : { tokens: -1, calls: -1, key: 1 };
      return ledger
        .aggregate<LedgerSums & { key: string }>([
          { $match: matchOf(filter) },
          { $group: { _id: GROUP_KEY[groupBy], ...SUMS_GROUP } },
          { $project: { _id: 0, key: '$_id', calls: 1, cachedCalls: 1, inputTokens: 1, outputTokens: 1, costMicros: 1, tokens: { $add: ['$inputTokens', '$outputTokens'] } } },
          { $sort: sort },
          { $limit: limit },
          { $project: { tokens: 0 } },
        ])
        .toArray();
    },
    async series({ from, to, stepMs }) {
      const fromMs = Date.parse(from);
      const ms = { $toLong: { $dateFromString: { dateString: '$createdAt' } } };
      return ledger
        .aggregate<LedgerSums & { bucket: number }>([
          { $match: { createdAt: { $gte: from, $lt: to } } },
          { $group: { _id: { $floor: { $divide: [{ $subtract: [ms, fromMs] }, stepMs] } }, ...SUMS_GROUP } },
          { $project: { _id: 0, bucket: { $toInt: '$_id' }, calls: 1, cachedCalls: 1, inputTokens: 1, outputTokens: 1, costMicros: 1 } },
          { $sort: { bucket: 1 } },
        ])
        .toArray();
    },
  };
}

export function createMongoRequestMetricsStore(db: Db): RequestMetricsStore {
  const minutes = db.collection<MinuteDoc>(REQUEST_METRICS_COLLECTION);
  const read = (doc: MinuteDoc): RequestMinute => {
    const latency = doc.latency ?? {};
    const size = Object.keys(latency).reduce((max, key) => Math.max(max, Number(key.slice(1)) + 1), 0);
    return {
      minute: doc._id, requests: doc.requests, clientErrors: doc.clientErrors, serverErrors: doc.serverErrors,
      quota429: doc.quota429, rateLimited429: doc.rateLimited429, latencyTotalMs: doc.latencyTotalMs,
      latencyBuckets: Array.from({ length: size }, (_, i) => latency[`b${i}`] ?? 0),
    };
  };
  return {
    async add(list) {
      if (list.length === 0) return;
      // $inc on an upsert: flushes of the same minute (another instance, a restart) add up instead of overwriting.
      await minutes.bulkWrite(
        list.map((m) => {
          const inc: Record<string, number> = {
            requests: m.requests, clientErrors: m.clientErrors, serverErrors: m.serverErrors, quota429: m.quota429,
            rateLimited429: m.rateLimited429, latencyTotalMs: m.latencyTotalMs,
          };
          m.latencyBuckets.forEach((count, i) => {
            if (count > 0) inc[`latency.b${i}`] = count;
          });
          return { updateOne: { filter: { _id: m.minute }, update: { $inc: inc }, upsert: true } };
        }),
        { ordered: false },
      );
    },
    async list(from, to) {
      const docs = await minutes.find({ _id: { $gte: from, $lt: to } }).sort({ _id: 1 }).toArray();
      return docs.map(read);
    },
    async purgeBefore(cutoff) {
      return (await minutes.deleteMany({ _id: { $lt: cutoff } })).deletedCount;
    },
  };
}
