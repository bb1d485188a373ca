import type { LedgerRecord, LedgerStore } from '../engine-types.js';
import { fromDoc, toDoc } from './collections.js';
import type { MongoContext } from './helpers.js';

type Totals = Awaited<ReturnType<LedgerStore['totals']>>;

export function createMongoLedgerStore({ collections, session }: MongoContext): LedgerStore {
  const { ledger } = collections;
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
  };
}
