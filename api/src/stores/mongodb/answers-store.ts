import type { AnswerRecord, AnswersStore } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { isDuplicateKey } from './helpers.js';
import { INDEX_NAMES } from './indexes.js';

/** Rounds of read-then-compare-and-swap before giving up on an answer that keeps changing underneath. */
const MAX_ATTEMPTS = 10;

type UpsertResult = Awaited<ReturnType<AnswersStore['upsert']>>;

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
    async upsert(input, options): Promise<UpsertResult> {
      // One document per question, so no transaction: each round reads the answer and writes only if it is still
      // that version (or, for a new answer, only if none exists: the unique index on questionId decides).
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = fromDocOrNull<AnswerRecord>(await answers.findOne({ questionId: input.questionId }));
        if (options.expectedVersion !== null && (current?.version ?? 0) !== options.expectedVersion) return { ok: false, current };
        if (!current) {
          const answer: AnswerRecord = {
            id: options.newId(), ...input, version: 1, history: [], createdAt: options.at, updatedAt: options.at,
          };
          try {
            await answers.insertOne(toDoc(answer));
            return { ok: true, answer };
          } catch (error) {
            if (isDuplicateKey(error, INDEX_NAMES.answersQuestion)) continue; // another writer created it first
            throw error;
          }
        }
        if (current.text === input.text && current.status === input.status) return { ok: true, answer: current };
        const history = [
          { version: current.version, text: current.text, status: current.status, updatedAt: current.updatedAt },
          ...current.history,
        ].slice(0, options.historyLimit);
        const updated = await answers.findOneAndUpdate(
          { _id: current.id, version: current.version },
          { $set: { text: input.text, status: input.status, words: input.words, history, updatedAt: options.at }, $inc: { version: 1 } },
          { returnDocument: 'after' },
        );
        if (updated) return { ok: true, answer: fromDoc<AnswerRecord>(updated) };
        // Another writer changed it in between: start again from the answer as it is now.
      }
      throw new Error(`The answer to question ${input.questionId} kept changing; giving up after ${MAX_ATTEMPTS} attempts.`);
    },
    async chaptersWithAnswers(bookId) {
      // Text with something besides spaces, as SQLite's trim(text) <> '' counts it.
      const ids = await answers.distinct('chapterId', { bookId, chapterId: { $ne: null }, text: { $regex: '[^ ]' } });
      return ids.filter((id): id is string => typeof id === 'string');
    },
  };
}
