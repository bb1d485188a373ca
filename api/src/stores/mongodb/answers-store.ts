import type { AnswerRecord, AnswersStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, storedFields, toDoc, type Collections } from './collections.js';
import { isDuplicateKey } from './helpers.js';
import { INDEX_NAMES } from './indexes.js';

export function createMongoAnswersStore({ answers }: Collections): AnswersStore {
  return {
    async listByQuestions(questionIds) {
      if (questionIds.length === 0) return [];
      const docs = await answers.find({ questionId: { $in: questionIds } }).toArray();
      return docs.map((doc) => fromDoc<AnswerRecord>(doc));
    },
    async listByChapter(bookId, chapterId) {
      const docs = await answers.find({ bookId, chapterId }).toArray();
      return docs.map((doc) => fromDoc<AnswerRecord>(doc));
    },
    async getByQuestion(questionId) {
      return fromDocOrNull<AnswerRecord>(await answers.findOne({ questionId }));
    },
    async insert(answer) {
      try {
        await answers.insertOne(toDoc(answer));
        return true;
      } catch (error) {
        if (isDuplicateKey(error, INDEX_NAMES.answersQuestion)) return false; // the unique index on questionId decides
        throw error;
      }
    },
    async replace(answerId, expectedVersion, { text, status, words, history, updatedAt }) {
      const updated = await answers.findOneAndUpdate(
        { _id: answerId, version: expectedVersion },
        { $set: storedFields({ text, status, words, history, updatedAt }), $inc: { version: 1 } },
        { returnDocument: 'after' },
      );
      return fromDocOrNull<AnswerRecord>(updated);
    },
    async chaptersWithAnswers(bookId) {
      // Text with something besides spaces, as SQLite's trim(text) <> '' counts it.
      const ids = await answers.distinct('chapterId', { bookId, chapterId: { $ne: null }, text: { $regex: '[^ ]' } });
      return ids.filter((id): id is string => typeof id === 'string');
    },
  };
}
