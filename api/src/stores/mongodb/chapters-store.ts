import type { AnyBulkWriteOperation, ClientSession, MongoClient } from 'mongodb';
import type { CasResult, ChapterRecord, ChaptersStore } from '../types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections, type Doc } from './collections.js';
import { casUpdate, definedOnly, inTransaction, rollback } from './helpers.js';

type ApplyResult = Awaited<ReturnType<ChaptersStore['applyStructure']>>;

export function createMongoChaptersStore(client: MongoClient, collections: Collections): ChaptersStore {
  const { books, chapters } = collections;
  const get = async (bookId: string, chapterId: string, session?: ClientSession) =>
    fromDocOrNull<ChapterRecord>(await chapters.findOne({ _id: chapterId, bookId }, { session }));
  const bumpToc = (bookId: string, at: string, expectedTocVersion: number | null, session: ClientSession) =>
    books.findOneAndUpdate(
      { _id: bookId, ...(expectedTocVersion === null ? {} : { tocVersion: expectedTocVersion }) },
      { $inc: { tocVersion: 1 }, $set: { updatedAt: at } },
      { session, returnDocument: 'after', projection: { tocVersion: 1 } },
    );

  return {
    get(bookId, chapterId) {
      return get(bookId, chapterId);
    },
    async getOwned(userId, bookId, chapterId) {
      const book = await books.findOne({ _id: bookId, userId, deletedAt: null }, { projection: { _id: 1 } });
      return book ? get(bookId, chapterId) : 'no-book';
    },
    async listByBook(bookId) {
      const docs = await chapters.find({ bookId }).sort({ position: 1, _id: 1 }).toArray();
      return docs.map((doc) => fromDoc<ChapterRecord>(doc));
    },
    async applyStructure(bookId, changes, options) {
      return inTransaction<ApplyResult>(client, async (session) => {
        // The tocVersion bump comes first: it is the compare-and-swap, and as a write to the book it makes
        // concurrent structure changes conflict, so the chapter count below cannot go stale.
        const bumped = await bumpToc(bookId, options.at, options.expectedTocVersion, session);
        if (!bumped) {
          const book = await books.findOne({ _id: bookId }, { session, projection: { tocVersion: 1 } });
          return book ? { ok: false, reason: 'conflict', tocVersion: book.tocVersion } : { ok: false, reason: 'missing' };
        }
        if (changes.creates.length > 0) {
          const count = await chapters.countDocuments({ bookId }, { session });
          if (count + changes.creates.length > options.maxPerBook) return rollback<ApplyResult>(session, { ok: false, reason: 'limit' });
        }
        const operations: AnyBulkWriteOperation<Doc<ChapterRecord>>[] = [
          ...changes.creates.map((chapter) => ({ insertOne: { document: toDoc(chapter) } })),
          ...changes.updates.map(({ id, patch }) => ({
            updateOne: {
              filter: { _id: id, bookId },
              update: { $set: { ...definedOnly(patch), updatedAt: options.at }, $inc: { version: 1 } },
            },
          })),
        ];
        if (operations.length > 0) await chapters.bulkWrite(operations, { session, ordered: true });
        return { ok: true, tocVersion: bumped.tocVersion };
      });
    },
    async update(bookId, chapterId, patch, options) {
      return inTransaction<CasResult<ChapterRecord>>(client, async (session) => {
        const result = await casUpdate<ChapterRecord>(
          chapters, { _id: chapterId, bookId }, patch, options.expectedVersion, options.at, () => get(bookId, chapterId, session), session,
        );
        if (result.ok && options.bumpToc) await bumpToc(bookId, options.at, null, session);
        return result;
      });
    },
  };
}
