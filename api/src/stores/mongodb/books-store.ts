import type { ClientSession, MongoClient } from 'mongodb';
import type { BookRecord, BooksStore, CasResult } from '../types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { beforeIdFilter, casUpdate, inTransaction, rollback } from './helpers.js';

/** Trashed before `cutoff`; `$type` repeats the partial index's filter so the query can use it. */
const trashedBefore = (cutoff: string) => ({ $type: 'string' as const, $lt: cutoff });

export function createMongoBooksStore(client: MongoClient, collections: Collections): BooksStore {
  const { books, summaryVersions, chapters, locks } = collections;
  /** What belongs to a book and goes with it when it is purged (SQLite does this with ON DELETE CASCADE). */
  const bookChildren = [
    chapters, summaryVersions, collections.questions, collections.answers, collections.proposals, collections.drafts, collections.docWrites,
  ];
  const owned = (userId: string, bookId: string, includeDeleted = false) => ({
    _id: bookId, userId, ...(includeDeleted ? {} : { deletedAt: null }),
  });
  const read = async (userId: string, bookId: string, includeDeleted = false, session?: ClientSession) =>
    fromDocOrNull<BookRecord>(await books.findOne(owned(userId, bookId, includeDeleted), { session }));

  return {
    async create(book, maxPerUser) {
      return inTransaction(client, async (session) => {
        // Snapshot isolation alone would let two creates both count room for one more book; writing the user's
        // lock row first makes concurrent creates conflict, and the driver retries the loser with a fresh count.
        await locks.updateOne({ _id: `books:${book.userId}` }, { $inc: { writes: 1 } }, { upsert: true, session });
        const count = await books.countDocuments({ userId: book.userId }, { session, limit: maxPerUser });
        if (count >= maxPerUser) return rollback(session, false);
        await books.insertOne(toDoc(book), { session });
        return true;
      });
    },
    async get(userId, bookId, includeDeleted) {
      return read(userId, bookId, includeDeleted);
    },
    async list(userId, { limit, beforeId, documentId, trash }) {
      const docs = await books
        .find({
          userId, ...beforeIdFilter(beforeId), ...(documentId === null ? {} : { documentId }),
          deletedAt: trash ? { $ne: null } : null,
        })
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => fromDoc<BookRecord>(doc));
    },
    async update(userId, bookId, patch, expectedVersion, at) {
      return casUpdate<BookRecord>(books, owned(userId, bookId), patch, expectedVersion, at, () => read(userId, bookId));
    },
    async setDeleted(userId, bookId, deletedAt, at) {
      const doc = await books.findOneAndUpdate(
        { _id: bookId, userId, deletedAt: deletedAt === null ? { $ne: null } : null },
        { $set: { deletedAt, updatedAt: at }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      );
      return fromDocOrNull<BookRecord>(doc);
    },
    async purgeDeletedBefore(cutoff) {
      const candidates = await books.find({ deletedAt: trashedBefore(cutoff) }, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray();
      const purged: string[] = [];
      // One small transaction per book; the book is deleted only if it is still trashed, so a restore that
      // happened in between wins, and everything of the book (chapters, summary history, questions, answers,
      // proposals, drafts, doc write records) goes with it or not at all. Jobs, ledger rows and cached AI answers
      // belong to the user and have their own retention, as in SQLite.
      for (const { _id: bookId } of candidates) {
        const removed = await inTransaction(client, async (session) => {
          const { deletedCount } = await books.deleteOne({ _id: bookId, deletedAt: trashedBefore(cutoff) }, { session });
          if (deletedCount !== 1) return false;
          for (const children of bookChildren) await children.deleteMany({ bookId }, { session });
          return true;
        });
        if (removed) purged.push(bookId);
      }
      return purged;
    },
    async putSummary(userId, bookId, entry) {
      return inTransaction<CasResult<BookRecord>>(client, async (session) => {
        const current = await read(userId, bookId, false, session);
        if (!current) return { ok: false, reason: 'missing' };
        if (entry.expectedVersion !== null && entry.expectedVersion !== current.summaryVersion) {
          return { ok: false, reason: 'conflict', current };
        }
        if (current.summary === entry.summary) return { ok: true, record: current };
        const version = current.summaryVersion + 1;
        // A concurrent writer of this book makes this update a write conflict, and the driver retries from the read.
        const updated = await books.findOneAndUpdate(
          { _id: bookId },
          { $set: { summary: entry.summary, summaryVersion: version, summaryUpdatedAt: entry.at } },
          { session, returnDocument: 'after' },
        );
        if (!updated) return rollback<CasResult<BookRecord>>(session, { ok: false, reason: 'missing' });
        await summaryVersions.insertOne(
          { bookId, version, summary: entry.summary, words: entry.words, createdAt: entry.at },
          { session },
        );
        await summaryVersions.deleteMany({ bookId, version: { $lte: version - entry.keep } }, { session });
        return { ok: true, record: fromDoc<BookRecord>(updated) };
      });
    },
    async summaryHistory(bookId, limit) {
      const docs = await summaryVersions.find({ bookId }).sort({ version: -1 }).limit(limit).toArray();
      return docs.map(({ _id: _objectId, ...record }) => record);
    },
  };
}
