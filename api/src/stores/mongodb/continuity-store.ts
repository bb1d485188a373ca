import type { ContinuityDeletionRecord, ContinuityNoteRecord, ContinuityStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc } from './collections.js';
import { casUpdate, type MongoContext } from './helpers.js';

export function createMongoContinuityStore({ collections, session }: MongoContext): ContinuityStore {
  const { continuityNotes, continuityDeletions } = collections;
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
    async rememberDeletions(deletions) {
      for (const deletion of deletions) {
        await continuityDeletions.replaceOne({ _id: `${deletion.bookId}/${deletion.subjectKey}` }, { ...deletion }, { upsert: true, session });
      }
    },
    async listDeletions(bookId) {
      const docs = await continuityDeletions.find({ bookId }, { session }).sort({ deletedAt: 1, subjectKey: 1 }).toArray();
      // A deletion remembered before notes were kept whole has no `note`.
      return docs.map(({ _id: _key, ...deletion }): ContinuityDeletionRecord => ({ ...deletion, note: deletion.note ?? null }));
    },
    async forgetDeletions(bookId, subjectKeys) {
      if (subjectKeys.length === 0) return 0;
      return (await continuityDeletions.deleteMany({ bookId, subjectKey: { $in: subjectKeys } }, { session })).deletedCount;
    },
  };
}
