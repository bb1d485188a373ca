import type { LedgerRecord, LedgerStore } from '../engine-types.js';
import { fromDoc, toDoc } from './collections.js';
import { withinTransaction, type MongoContext } from './helpers.js';

type Totals = Awaited<ReturnType<LedgerStore['totals']>>;

export function createMongoLedgerStore(ctx: MongoContext): LedgerStore {
  const { collections, session } = ctx;
  const { ledger, jobs } = collections;
  return {
    async record(entry) {
      await ledger.insertOne(toDoc(entry), { session });
    },
    async listByUser(userId, limit) {
      const docs = await ledger.find({ userId }, { session }).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => fromDoc<LedgerRecord>(doc));
    },
    async totals(userId, since) {
      const [totals] = await ledger
        .aggregate<Totals>([
          { $match: { userId, createdAt: { $gte: since } } },
          {
            $group: {
              _id: null,
              calls: { $sum: 1 },
              cachedCalls: { $sum: { $cond: ['$cached', 1, 0] } },
              inputTokens: { $sum: '$inputTokens' },
              outputTokens: { $sum: '$outputTokens' },
              costMicros: { $sum: '$costMicros' },
            },
          },
          { $project: { _id: 0 } },
        ], { session })
        .toArray();
      return totals ?? { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
    },
    async purge({ createdBefore, keepJobStatuses, limit }) {
      if (limit < 1) return 0; // a MongoDB limit of 0 means none
      return withinTransaction<number>(ctx, async (inner) => {
        // The jobs whose rows stay are few (active ones): ledger_time finds the old rows among the rest.
        const kept = keepJobStatuses.length === 0 ? [] : await jobs.distinct('_id', { status: { $in: [...keepJobStatuses] } }, { session: inner });
        const found = await ledger.find({ createdAt: { $lt: createdBefore }, jobId: { $nin: kept } }, { projection: { _id: 1 }, session: inner }).limit(limit).toArray();
        if (found.length === 0) return 0;
        return (await ledger.deleteMany({ _id: { $in: found.map((doc) => doc._id) } }, { session: inner })).deletedCount;
      });
    },
  };
}
