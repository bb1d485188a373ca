import type { MongoClient } from 'mongodb';
import type { ContinuityNoteRecord, ContinuityStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { casUpdate, inTransaction, rollback } from './helpers.js';

export function createMongoContinuityStore(client: MongoClient, { continuityNotes, locks }: Collections): ContinuityStore {
  const read = async (bookId: string, noteId: string) => fromDocOrNull<ContinuityNoteRecord>(await continuityNotes.findOne({ _id: noteId, bookId }));
  return {
    async list(bookId) {
      return (await continuityNotes.find({ bookId }).sort({ _id: 1 }).toArray()).map((doc) => fromDoc<ContinuityNoteRecord>(doc));
    },
    get: read,
    async create(note, maxPerBook) {
      return inTransaction(client, async (session) => {
        // The book's lock row makes concurrent creates conflict, so the count cannot be passed by two at once.
        await locks.updateOne({ _id: `continuity:${note.bookId}` }, { $inc: { writes: 1 } }, { upsert: true, session });
        if ((await continuityNotes.countDocuments({ bookId: note.bookId }, { session, limit: maxPerBook })) >= maxPerBook) return rollback(session, false);
        await continuityNotes.insertOne(toDoc(note), { session });
        return true;
      });
    },
    async replace(bookId, removeIds, insert) {
      await inTransaction(client, async (session) => {
        await locks.updateOne({ _id: `continuity:${bookId}` }, { $inc: { writes: 1 } }, { upsert: true, session });
        // A note the author locked or edited meanwhile stays, whatever the extraction decided.
        if (removeIds.length > 0) await continuityNotes.deleteMany({ _id: { $in: removeIds }, bookId, locked: false, editedAt: null }, { session });
        if (insert.length > 0) await continuityNotes.insertMany(insert.map((note) => toDoc(note)), { session });
      });
    },
    update(bookId, noteId, patch, expectedVersion, at) {
      return casUpdate(continuityNotes, { _id: noteId, bookId }, patch, expectedVersion, at, () => read(bookId, noteId));
    },
    async delete(bookId, noteId) {
      return (await continuityNotes.deleteOne({ _id: noteId, bookId })).deletedCount === 1;
    },
  };
}
