import type { MongoClient } from 'mongodb';
import type { AnswerRecord, QuestionRecord, QuestionsStore } from '../engine-types.js';
import { ENGINE_COLLECTION_NAMES, fromDoc, fromDocOrNull, storedFields, toDoc, type Collections } from './collections.js';
import { inTransaction } from './helpers.js';

type ProgressQuestion = { chapterId: string; suggestedWords: number | null; answer: Array<Pick<AnswerRecord, 'text' | 'status' | 'words'>> };
type ProgressDrafts = { _id: string; count: number; acceptedId: string | null };

export function createMongoQuestionsStore(client: MongoClient, { questions, drafts }: Collections): QuestionsStore {
  return {
    async bookProgress(bookId) {
      const [rows, perChapter] = await Promise.all([
        questions.aggregate<ProgressQuestion>([
          { $match: { bookId, chapterId: { $ne: null }, archivedAt: null } },
          { $sort: { position: 1, _id: 1 } },
          { $lookup: { from: ENGINE_COLLECTION_NAMES.answers, localField: '_id', foreignField: 'questionId', as: 'answer' } },
          { $project: { _id: 0, chapterId: 1, suggestedWords: 1, 'answer.text': 1, 'answer.status': 1, 'answer.words': 1 } },
        ]).toArray(),
        drafts.aggregate<ProgressDrafts>([
          { $match: { bookId } },
          // $max skips nulls: the accepted draft's id, or null when none is accepted. `$gt` null, not `$ne`: in an
          // expression an absent field is not equal to null, so `$ne` would count a draft without the field as accepted.
          { $group: { _id: '$chapterId', count: { $sum: 1 }, acceptedId: { $max: { $cond: [{ $gt: ['$acceptedAt', null] }, '$_id', null] } } } },
        ]).toArray(),
      ]);
      return {
        // Fields named one by one: the record type says exactly these, whatever else the lookup brought.
        questions: rows.map(({ chapterId, suggestedWords, answer: [found] }) => ({
          chapterId, suggestedWords, answer: found ? { text: found.text, status: found.status, words: found.words } : null,
        })),
        drafts: perChapter.map(({ _id, count, acceptedId }) => ({ chapterId: _id, count, acceptedId: acceptedId ?? null })),
      };
    },
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
        { $set: storedFields({ text, helpText, lens, suggestedWords, generatedBy, updatedAt: at }), $inc: { regenerations: 1, version: 1 } },
        { returnDocument: 'after' },
      );
      return fromDocOrNull<QuestionRecord>(doc);
    },
  };
}
