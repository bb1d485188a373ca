import type { ContinuityNoteRecord, ContinuityStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc } from './collections.js';
import { casUpdate, type MongoContext } from './helpers.js';

export function createMongoContinuityStore({ collections, session }: MongoContext): ContinuityStore {
  const { continuityNotes } = collections;
  const read = async (bookId: string, noteId: string) => fromDocOrNull<ContinuityNoteRecord>(await continuityNotes.findOne({ _id: noteId, bookId }, { session }));
  return {
    async list(bookId) {
      return (await continuityNotes.find({ bookId }, { session }).sort({ _id: 1 }).toArray()).map((doc) => fromDoc<ContinuityNoteRecord>(doc));
    },
    get: read,
    count(bookId) {
      return continuityNotes.countDocuments({ bookId }, { session });
    },
    async insert(notes) {
      if (notes.length > 0) await continuityNotes.insertMany(notes.map((note) => toDoc(note)), { session });
    },
    async remove(bookId, noteIds) {
      if (noteIds.length === 0) return 0;
      return (await continuityNotes.deleteMany({ bookId, _id: { $in: noteIds } }, { session })).deletedCount;
    },
    update(bookId, noteId, patch, expectedVersion, at) {
      return casUpdate(continuityNotes, { _id: noteId, bookId }, patch, expectedVersion, at, () => read(bookId, noteId), session);
    },
  };
}
