import type { AuditRecord, AuditStore } from '../types.js';
import { fromDoc, toDoc, type Collections } from './collections.js';
import { beforeIdFilter } from './helpers.js';

export function createMongoAuditStore({ audit }: Collections): AuditStore {
  return {
    async append(event) {
      // Through JSON, as the SQLite store keeps it: undefined fields drop out, dates become strings.
      const details = JSON.parse(JSON.stringify(event.details)) as Record<string, unknown>;
      await audit.insertOne(toDoc({ ...event, details }));
    },
    async list({ limit, beforeId, type, userId }) {
      const docs = await audit
        .find({ ...beforeIdFilter(beforeId), ...(type === null ? {} : { type }), ...(userId === null ? {} : { userId }) })
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => fromDoc<AuditRecord>(doc));
    },
    async purgeBefore(cutoff) {
      return (await audit.deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
    },
  };
}
