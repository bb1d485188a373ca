import type { BookRecord, BooksStore } from '../types.js';
import { fromDoc, fromDocOrNull, toDoc } from './collections.js';
import { beforeIdFilter, casUpdate, withinTransaction, type MongoContext } from './helpers.js';

/** Trashed before `cutoff`; `$type` repeats the partial index's filter so the query can use it. */
const trashedBefore = (cutoff: string) => ({ $type: 'string' as const, $lt: cutoff });

export function createMongoBooksStore(ctx: MongoContext): BooksStore {
  const { collections, session } = ctx;
  const { books, summaryVersions, chapters } = collections;
  /** What belongs to a book and goes with it when it is purged (SQLite does this with ON DELETE CASCADE). */
  const bookChildren = [
    chapters, summaryVersions, collections.questions, collections.answers, collections.proposals, collections.drafts, collections.docWrites,
    collections.continuityNotes, collections.continuityDeletions,
  ];
  const owned = (userId: string, bookId: string, includeDeleted = false) => ({
    _id: bookId, userId, ...(includeDeleted ? {} : { deletedAt: null }),
  });
  const read = async (userId: string, bookId: string, includeDeleted = false) =>
    fromDocOrNull<BookRecord>(await books.findOne(owned(userId, bookId, includeDeleted), { session }));

  return {
    async insert(book) {
      await books.insertOne(toDoc(book), { session });
    },
    async countByUser(userId) {
      return books.countDocuments({ userId }, { session });
    },
    async get(userId, bookId, includeDeleted) {
      return read(userId, bookId, includeDeleted);
    },
    async list(userId, { limit, beforeId, documentId, trash }) {
      const docs = await books
        .find(
          { userId, ...beforeIdFilter(beforeId), ...(documentId === null ? {} : { documentId }), deletedAt: trash ? { $ne: null } : null },
          { session },
        )
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => fromDoc<BookRecord>(doc));
    },
    async update(userId, bookId, patch, expectedVersion, at) {
      return casUpdate<BookRecord>(books, owned(userId, bookId), patch, expectedVersion, at, () => read(userId, bookId), session);
    },
    async setDeleted(userId, bookId, deletedAt, at) {
      const doc = await books.findOneAndUpdate(
        { _id: bookId, userId, deletedAt: deletedAt === null ? { $ne: null } : null },
        { $set: { deletedAt, updatedAt: at }, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      );
      return fromDocOrNull<BookRecord>(doc);
    },
    async purgeDeletedBefore(cutoff) {
      const candidates = await books.find({ deletedAt: trashedBefore(cutoff) }, { projection: { _id: 1 }, session }).sort({ _id: 1 }).toArray();
      const purged: string[] = [];
      // One small transaction per book; the book is deleted only if it is still trashed, so a restore that
      // happened in between wins, and everything of the book (chapters, summary history, questions, answers,
      // proposals, drafts, doc write records) goes with it or not at all. Jobs, ledger rows and cached AI answers
      // belong to the user and have their own retention, as in SQLite.
      for (const { _id: bookId } of candidates) {
        const removed = await withinTransaction(ctx, async (session) => {
          const { deletedCount } = await books.deleteOne({ _id: bookId, deletedAt: trashedBefore(cutoff) }, { session });
          if (deletedCount !== 1) return false;
          for (const children of bookChildren) await children.deleteMany({ bookId }, { session });
          return true;
        });
        if (removed) purged.push(bookId);
      }
      return purged;
    },
    async tocVersion(bookId) {
      return (await books.findOne({ _id: bookId }, { projection: { tocVersion: 1 }, session }))?.tocVersion ?? null;
    },
    async bumpTocVersion(bookId, at) {
      await books.updateOne({ _id: bookId }, { $inc: { tocVersion: 1 }, $set: { updatedAt: at } }, { session });
    },
    async setSummary(bookId, { summary, summaryVersion, summaryUpdatedAt }) {
      await books.updateOne({ _id: bookId }, { $set: { summary, summaryVersion, summaryUpdatedAt } }, { session });
    },
    async addSummaryVersion(entry) {
      await summaryVersions.insertOne({ ...entry }, { session });
    },
    async dropSummaryVersionsThrough(bookId, version) {
      await summaryVersions.deleteMany({ bookId, version: { $lte: version } }, { session });
    },
    async summaryHistory(bookId, limit) {
      const docs = await summaryVersions.find({ bookId }, { session }).sort({ version: -1 }).limit(limit).toArray();
      return docs.map(({ _id: _objectId, ...record }) => record);
    },
  };
}
