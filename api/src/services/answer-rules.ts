import type { AnswerRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';

/** Rounds of read-then-compare-and-swap before giving up on an answer that keeps changing underneath. */
const MAX_ATTEMPTS = 10;

export type AnswerSaveResult = { ok: true; answer: AnswerRecord } | { ok: false; current: AnswerRecord | null };

/**
 * Creates or updates the answer to a question; compare-and-swap when `expectedVersion` is set (0: no answer yet),
 * else the newest text wins. The same text and status again changes nothing; each change keeps the replaced version
 * in the answer's history, newest first, at most `historyLimit` entries. One record per question, so no transaction:
 * each round writes only if the answer is still the one read (or, for a first answer, only if there is none).
 */
export async function putAnswer(
  store: Store,
  input: { questionId: string; bookId: string; chapterId: string | null; text: string; status: 'draft' | 'final'; words: number },
  options: { expectedVersion: number | null; at: string; historyLimit: number; newId: () => string },
): Promise<AnswerSaveResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.answers.getByQuestion(input.questionId);
    if (options.expectedVersion !== null && (current?.version ?? 0) !== options.expectedVersion) return { ok: false, current };
    if (!current) {
      const answer: AnswerRecord = { id: options.newId(), ...input, version: 1, history: [], createdAt: options.at, updatedAt: options.at };
      if (await store.answers.insert(answer)) return { ok: true, answer };
      continue; // another writer gave the first answer in between
    }
    if (current.text === input.text && current.status === input.status) return { ok: true, answer: current };
    const history = [{ version: current.version, text: current.text, status: current.status, updatedAt: current.updatedAt }, ...current.history].slice(
      0, options.historyLimit,
    );
    const replaced = await store.answers.replace(current.id, current.version, {
      text: input.text, status: input.status, words: input.words, history, updatedAt: options.at,
    });
    if (replaced) return { ok: true, answer: replaced };
    // Another writer changed it in between: start again from the answer as it is now.
  }
  throw new Error(`The answer to question ${input.questionId} kept changing; giving up after ${MAX_ATTEMPTS} attempts.`);
}
