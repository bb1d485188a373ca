import type { ChapterRecord, ChaptersStore } from '../types.js';
import { fromDoc, fromDocOrNull, toDoc } from './collections.js';
import { casUpdate, type MongoContext } from './helpers.js';

export function createMongoChaptersStore({ collections, session }: MongoContext): ChaptersStore {
  const { books, chapters } = collections;
  const get = async (bookId: string, chapterId: string) => fromDocOrNull<ChapterRecord>(await chapters.findOne({ _id: chapterId, bookId }, { session }));

  return {
    get,
    async getOwned(userId, bookId, chapterId) {
      const book = await books.findOne({ _id: bookId, userId, deletedAt: null }, { projection: { _id: 1 }, session });
      return book ? get(bookId, chapterId) : 'no-book';
    },
    async listByBook(bookId) {
      const docs = await chapters.find({ bookId }, { session }).sort({ position: 1, _id: 1 }).toArray();
      return docs.map((doc) => fromDoc<ChapterRecord>(doc));
    },
    async countByBook(bookId) {
      return chapters.countDocuments({ bookId }, { session });
    },
    async insert(chapter) {
      await chapters.insertOne(toDoc(chapter), { session });
    },
    async update(bookId, chapterId, patch, { expectedVersion, at }) {
      return casUpdate<ChapterRecord>(chapters, { _id: chapterId, bookId }, patch, expectedVersion, at, () => get(bookId, chapterId), session);
    },
  };
}
