import type { MongoClient } from 'mongodb';
import type { QuestionRecord, QuestionsStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { inTransaction } from './helpers.js';

export function createMongoQuestionsStore(client: MongoClient, { questions }: Collections): QuestionsStore {
  return {
    async list(bookId, chapterId) {
      const docs = await questions.find({ bookId, chapterId, archivedAt: null }).sort({ position: 1, _id: 1 }).toArray();
      return docs.map((doc) => fromDoc<QuestionRecord>(doc));
    },
    async get(bookId, questionId) {
      return fromDocOrNull<QuestionRecord>(await questions.findOne({ _id: questionId, bookId }));
    },
    async swap(bookId, _chapterId, insert, archiveIds, at) {
      // Readers see the old set or the new one, never both or neither.
      await inTransaction(client, async (session) => {
        if (archiveIds.length > 0) {
          await questions.updateMany(
            { _id: { $in: archiveIds }, bookId },
            { $set: { archivedAt: at, updatedAt: at }, $inc: { version: 1 } },
            { session },
          );
        }
        if (insert.length > 0) await questions.insertMany(insert.map((question) => toDoc(question)), { session });
      });
    },
    async replaceText(bookId, questionId, change, expectedVersion, at) {
      const { text, helpText, lens, suggestedWords, generatedBy } = change;
      const doc = await questions.findOneAndUpdate(
        { _id: questionId, bookId, version: expectedVersion },
        { $set: { text, helpText, lens, suggestedWords, generatedBy, updatedAt: at }, $inc: { regenerations: 1, version: 1 } },
        { returnDocument: 'after' },
      );
      return fromDocOrNull<QuestionRecord>(doc);
    },
  };
}
