import type { DraftRecord, DraftsStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc } from './collections.js';
import { beforeIdFilter, type MongoContext } from './helpers.js';

export function createMongoDraftsStore({ collections, session }: MongoContext): DraftsStore {
  const { drafts } = collections;
  const get = async (chapterId: string, draftId: string) => fromDocOrNull<DraftRecord>(await drafts.findOne({ _id: draftId, chapterId }, { session }));

  return {
    async insert(draft) {
      await drafts.insertOne(toDoc(draft), { session });
    },
    get,
    async list(chapterId, limit, beforeId) {
      const docs = await drafts.find({ chapterId, ...beforeIdFilter(beforeId) }, { session }).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => fromDoc<DraftRecord>(doc));
    },
    async count(chapterId) {
      return drafts.countDocuments({ chapterId }, { session });
    },
    async unacceptedIds(chapterId) {
      const docs = await drafts.find({ chapterId, acceptedAt: null }, { projection: { _id: 1 }, session }).sort({ _id: -1 }).toArray();
      return docs.map((doc) => doc._id);
    },
    async remove(chapterId, draftIds) {
      if (draftIds.length > 0) await drafts.deleteMany({ chapterId, _id: { $in: draftIds } }, { session });
    },
    async setAcceptedAt(chapterId, draftId, at) {
      const doc = await drafts.findOneAndUpdate({ _id: draftId, chapterId }, { $set: { acceptedAt: at } }, { returnDocument: 'after', session });
      return fromDocOrNull<DraftRecord>(doc);
    },
    async accepted(chapterId) {
      return fromDocOrNull<DraftRecord>(await drafts.findOne({ chapterId, acceptedAt: { $ne: null } }, { session }));
    },
    async chaptersWithDrafts(bookId) {
      return drafts.distinct('chapterId', { bookId }, { session });
    },
  };
}
