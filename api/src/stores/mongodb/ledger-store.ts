import type { MongoClient } from 'mongodb';
import type { LedgerRecord, LedgerStore } from '../engine-types.js';
import { fromDoc, toDoc, type Collections } from './collections.js';
import { inTransaction } from './helpers.js';

type Totals = Awaited<ReturnType<LedgerStore['totals']>>;

export function createMongoLedgerStore(client: MongoClient, { ledger, jobs }: Collections): LedgerStore {
  return {
    async record(entry) {
      const used = entry.inputTokens + entry.outputTokens;
      if (!entry.jobId || used <= 0) {
        await ledger.insertOne(toDoc(entry));
        return;
      }
      const jobId = entry.jobId;
      // The call and the release of what it used go together, so quota checks never count those tokens twice.
      await inTransaction(client, async (session) => {
        await ledger.insertOne(toDoc(entry), { session });
        await jobs.updateOne(
          { _id: jobId },
          [{ $set: { reservedTokens: { $max: [0, { $subtract: ['$reservedTokens', used] }] } } }],
          { session },
        );
      });
    },
    async listByUser(userId, limit) {
      const docs = await ledger.find({ userId }).sort({ _id: -1 }).limit(limit).toArray();
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
        ])
        .toArray();
      return totals ?? { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
    },
  };
}
