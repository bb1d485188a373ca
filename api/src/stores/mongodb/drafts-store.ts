import type { ClientSession, MongoClient } from 'mongodb';
import type { DraftRecord, DraftsStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { beforeIdFilter, inTransaction, rollback } from './helpers.js';

export function createMongoDraftsStore(client: MongoClient, { drafts, locks }: Collections): DraftsStore {
  const get = async (chapterId: string, draftId: string, session?: ClientSession) =>
    fromDocOrNull<DraftRecord>(await drafts.findOne({ _id: draftId, chapterId }, { session }));
  // Creating and accepting both write the chapter's lock row first, so they run one after the other per chapter:
  // two accepts cannot each leave their own draft accepted, and a prune never misses a concurrent create or accept.
  const lockChapter = (chapterId: string, session: ClientSession) =>
    locks.updateOne({ _id: `drafts:${chapterId}` }, { $inc: { writes: 1 } }, { upsert: true, session });

  return {
    async create(draft, keep) {
      await inTransaction(client, async (session) => {
        await lockChapter(draft.chapterId, session);
        await drafts.insertOne(toDoc(draft), { session });
        const extra = await drafts
          .find({ chapterId: draft.chapterId, acceptedAt: null }, { session, projection: { _id: 1 } })
          .sort({ _id: -1 })
          .skip(keep)
          .toArray();
        if (extra.length > 0) await drafts.deleteMany({ _id: { $in: extra.map((doc) => doc._id) } }, { session });
      });
    },
    get(chapterId, draftId) {
      return get(chapterId, draftId);
    },
    async list(chapterId, limit, beforeId) {
      const docs = await drafts.find({ chapterId, ...beforeIdFilter(beforeId) }).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => fromDoc<DraftRecord>(doc));
    },
    async count(chapterId) {
      return drafts.countDocuments({ chapterId });
    },
    async accept(chapterId, draftId, at) {
      return inTransaction(client, async (session) => {
        await lockChapter(chapterId, session);
        if (!(await get(chapterId, draftId, session))) return rollback<DraftRecord | null>(session, null);
        await drafts.updateMany({ chapterId, acceptedAt: { $ne: null }, _id: { $ne: draftId } }, { $set: { acceptedAt: null } }, { session });
        const accepted = await drafts.findOneAndUpdate({ _id: draftId }, { $set: { acceptedAt: at } }, { session, returnDocument: 'after' });
        return fromDocOrNull<DraftRecord>(accepted);
      });
    },
    async accepted(chapterId) {
      return fromDocOrNull<DraftRecord>(await drafts.findOne({ chapterId, acceptedAt: { $ne: null } }));
    },
    async chaptersWithDrafts(bookId) {
      return drafts.distinct('chapterId', { bookId });
    },
  };
}
