import { describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/ids.js';
import type { QuestionRecord } from '../../../src/stores/engine-types.js';
import { answerInput, draftRecord, OFFLINE, questionRecord, upsertOptions } from './engine-fixtures.js';
import { givenBook, time, useStore, type StoreFactory } from './fixtures.js';
import { putAnswer } from '../../../src/services/answer-rules.js';
import type { Store } from '../../../src/stores/types.js';

/** A book with `count` interview questions (chapterId null) or chapter questions, stored with one swap. */
async function givenQuestions(store: Store, count: number, chapterId: string | null = null) {
  const book = await givenBook(store);
  const questions = Array.from({ length: count }, (_, position) => questionRecord(book.id, chapterId, { position, text: `Question ${position + 1}` }));
  await store.questions.swap(book.id, chapterId, questions, [], time(0));
  return { book, questions };
}

export function questionsContract(open: StoreFactory): void {
  describe('questions', () => {
    const store = useStore(open);

    it('lists the active questions of the interview or of one chapter, by position, scoped to the book', async () => {
      const { book, questions } = await givenQuestions(store(), 2);
      const chapterQuestions = [
        questionRecord(book.id, 'ch_A', { position: 1, lens: null, helpText: 'Think of a story', suggestedWords: null }),
        questionRecord(book.id, 'ch_A', { position: 0, generatedBy: { provider: 'openai', model: 'gpt', promptVersion: 'v2', offline: false } }),
      ];
      await store().questions.swap(book.id, 'ch_A', chapterQuestions, [], time(1));
      expect(await store().questions.list(book.id, null)).toEqual(questions);
      expect(await store().questions.list(book.id, 'ch_A')).toEqual([chapterQuestions[1], chapterQuestions[0]]);
      expect(await store().questions.list(book.id, 'ch_B')).toEqual([]);
      expect(await store().questions.get(book.id, chapterQuestions[0]!.id)).toEqual(chapterQuestions[0]);

      const other = await givenBook(store());
      expect(await store().questions.list(other.id, null)).toEqual([]);
      expect(await store().questions.get(other.id, questions[0]!.id)).toBeNull();
    });

    it('keeps an interview follow-up (chapterId null) with the question it follows up', async () => {
      const { book, questions } = await givenQuestions(store(), 2);
      const followUp = questionRecord(book.id, null, { position: 2, text: 'Tell more', parentQuestionId: questions[0]!.id, lens: 'editor', suggestedWords: 80 });
      await store().questions.swap(book.id, null, [followUp], [], time(1));
      expect(await store().questions.list(book.id, null)).toEqual([...questions, followUp]);
      expect(await store().questions.get(book.id, followUp.id)).toEqual(followUp);
    });

    it('swaps: archives the replaced questions (still readable) and inserts the new ones together', async () => {
      const { book, questions } = await givenQuestions(store(), 3);
      const [kept, replaced1, replaced2] = questions as [typeof questions[0], typeof questions[0], typeof questions[0]];
      const fresh = [questionRecord(book.id, null, { position: 1 }), questionRecord(book.id, null, { position: 2 })];
      await store().questions.swap(book.id, null, fresh, [replaced1.id, replaced2.id], time(5));
      expect(await store().questions.list(book.id, null)).toEqual([kept, ...fresh]);
      expect(await store().questions.get(book.id, replaced1.id)).toEqual({ ...replaced1, archivedAt: time(5), updatedAt: time(5), version: 2 });

      // Another book's ids are not archived through this one.
      const other = await givenQuestions(store(), 1);
      await store().questions.swap(book.id, null, [], [other.questions[0]!.id], time(6));
      expect(await store().questions.list(other.book.id, null)).toEqual(other.questions);
    });

    it('replaces one question’s text with a compare-and-swap on its version', async () => {
      const { book, questions } = await givenQuestions(store(), 1, 'ch_A');
      const question = questions[0]!;
      const change = { text: 'Sharper', helpText: 'Why', lens: 'sceptic' as const, suggestedWords: 350, generatedBy: { ...OFFLINE, promptVersion: 'v9' } };
      const replaced = await store().questions.replaceText(book.id, question.id, change, 1, time(8));
      const expected = { ...question, ...change, regenerations: 1, version: 2, updatedAt: time(8) };
      expect(replaced).toEqual(expected);
      expect(await store().questions.replaceText(book.id, question.id, { ...change, text: 'Stale' }, 1, time(9))).toBeNull();
      expect(await store().questions.replaceText((await givenBook(store())).id, question.id, change, 2, time(9))).toBeNull();
      expect(await store().questions.get(book.id, question.id)).toEqual(expected);
    });

    it('reads book progress at once: every active chapter question with its answer, and each chapter’s drafts', async () => {
      const { book } = await givenQuestions(store(), 1);
      const [a1, a0, archived] = [
        questionRecord(book.id, 'ch_A', { position: 1, suggestedWords: 200 }),
        questionRecord(book.id, 'ch_A', { position: 0, suggestedWords: null }),
        questionRecord(book.id, 'ch_A', { position: 2 }),
      ];
      const b0 = questionRecord(book.id, 'ch_B', { position: 0, suggestedWords: 50 });
      await store().questions.swap(book.id, 'ch_A', [a1!, a0!, archived!], [], time(1));
      await store().questions.swap(book.id, 'ch_A', [], [archived!.id], time(2));
      await store().questions.swap(book.id, 'ch_B', [b0], [], time(1));
      const answer = (question: QuestionRecord, text: string, status: 'draft' | 'final', words: number) =>
        store().answers.insert({ ...answerInput(question, { text, status, words }), id: newId('answer'), version: 1, history: [], createdAt: time(3), updatedAt: time(3) });
      await answer(a1!, 'Final words here', 'final', 3);
      await answer(archived!, 'Archived', 'draft', 1);
      const [firstA, secondA, onlyB] = [draftRecord(book.id, 'ch_A'), draftRecord(book.id, 'ch_A', { number: 2 }), draftRecord(book.id, 'ch_B')];
      for (const draft of [firstA, secondA, onlyB]) await store().drafts.insert(draft);
      await store().drafts.setAcceptedAt('ch_A', firstA.id, time(4));
      const other = await givenQuestions(store(), 1, 'ch_A');
      await store().drafts.insert(draftRecord(other.book.id, 'ch_C'));

      const progress = await store().questions.bookProgress(book.id);
      // Each chapter's questions by position (the order across chapters is not part of the contract).
      expect(progress.questions.filter((row) => row.chapterId === 'ch_A')).toEqual([
        { chapterId: 'ch_A', suggestedWords: null, answer: null },
        { chapterId: 'ch_A', suggestedWords: 200, answer: { text: 'Final words here', status: 'final', words: 3 } },
      ]);
      expect(progress.questions.filter((row) => row.chapterId !== 'ch_A')).toEqual([{ chapterId: 'ch_B', suggestedWords: 50, answer: null }]);
      expect([...progress.drafts].sort((x, y) => x.chapterId.localeCompare(y.chapterId))).toEqual([
        { chapterId: 'ch_A', count: 2, acceptedId: firstA.id },
        { chapterId: 'ch_B', count: 1, acceptedId: null },
      ]);
      expect(await store().questions.bookProgress((await givenBook(store())).id)).toEqual({ questions: [], drafts: [] });
    });
  });
}

export function answersContract(open: StoreFactory): void {
  describe('answers', () => {
    const store = useStore(open);

    it('creates an answer at version 1 and lists it by question and by chapter', async () => {
      const { book, questions } = await givenQuestions(store(), 2);
      const [chapterQuestion] = (await givenQuestions(store(), 1, 'ch_A')).questions;
      const result = await putAnswer(store(), answerInput(questions[0]!, { text: 'Été 🌍', words: 1 }), upsertOptions(time(3)));
      expect(result.ok).toBe(true);
      const answer = result.ok ? result.answer : null;
      expect(answer).toEqual({
        id: expect.stringMatching(/^ans_/), questionId: questions[0]!.id, bookId: book.id, chapterId: null, text: 'Été 🌍', status: 'draft',
        words: 1, version: 1, history: [], createdAt: time(3), updatedAt: time(3),
      });
      expect(await store().answers.listByQuestions([questions[0]!.id, questions[1]!.id, chapterQuestion!.id])).toEqual([answer]);
      expect(await store().answers.listByQuestions([])).toEqual([]);
      expect(await store().answers.listByChapter(book.id, null)).toEqual([answer]);
      expect(await store().answers.listByChapter(book.id, 'ch_A')).toEqual([]);
    });

    it('updates with a new version and the previous one in history; the same text and status is a no-op', async () => {
      const { questions } = await givenQuestions(store(), 1, 'ch_A');
      const first = await putAnswer(store(), answerInput(questions[0]!, { text: 'One' }), upsertOptions(time(1)));
      const second = await putAnswer(store(), answerInput(questions[0]!, { text: 'Two', status: 'final', words: 1 }), upsertOptions(time(2), 1));
      expect(first.ok && second.ok).toBe(true);
      if (!first.ok || !second.ok) return;
      expect(second.answer).toEqual({
        ...first.answer, text: 'Two', status: 'final', words: 1, version: 2, updatedAt: time(2),
        history: [{ version: 1, text: 'One', status: 'draft', updatedAt: time(1) }],
      });
      const same = await putAnswer(store(), answerInput(questions[0]!, { text: 'Two', status: 'final', words: 99 }), upsertOptions(time(3), 2));
      expect(same).toEqual({ ok: true, answer: second.answer });
      expect(await store().answers.listByQuestions([questions[0]!.id])).toEqual([second.answer]);
    });

    it('answers a stale or premature expected version with a conflict and the current answer, writing nothing', async () => {
      const { questions } = await givenQuestions(store(), 2);
      expect(await putAnswer(store(), answerInput(questions[0]!), upsertOptions(time(1), 1))).toEqual({ ok: false, current: null });
      expect(await store().answers.listByQuestions([questions[0]!.id])).toEqual([]);
      // Version 0 means "only if there is no answer yet".
      const created = await putAnswer(store(), answerInput(questions[0]!, { text: 'First' }), upsertOptions(time(2), 0));
      expect(created.ok).toBe(true);
      const current = created.ok ? created.answer : null;
      expect(await putAnswer(store(), answerInput(questions[0]!, { text: 'Again' }), upsertOptions(time(3), 0))).toEqual({ ok: false, current });
      expect(await putAnswer(store(), answerInput(questions[0]!, { text: 'Later' }), upsertOptions(time(3), 2))).toEqual({ ok: false, current });
      expect(await store().answers.listByQuestions([questions[0]!.id])).toEqual([current]);
    });

    it('keeps only the newest `historyLimit` earlier versions, newest first', async () => {
      const { questions } = await givenQuestions(store(), 1);
      for (let i = 1; i <= 6; i++) {
        const result = await putAnswer(store(), answerInput(questions[0]!, { text: `Text ${i}` }), upsertOptions(time(i), i === 1 ? null : i - 1, 3));
        expect(result.ok).toBe(true);
      }
      const [answer] = await store().answers.listByQuestions([questions[0]!.id]);
      expect(answer).toMatchObject({ text: 'Text 6', version: 6 });
      expect(answer!.history).toEqual([5, 4, 3].map((version) => ({ version, text: `Text ${version}`, status: 'draft', updatedAt: time(version) })));
    });

    it('lets exactly one of concurrent writers of the same expected version win', async () => {
      const { questions } = await givenQuestions(store(), 2);
      const creates = await Promise.all(
        Array.from({ length: 6 }, (_, i) => putAnswer(store(), answerInput(questions[0]!, { text: `Create ${i}` }), upsertOptions(time(1), 0))),
      );
      expect(creates.filter((result) => result.ok)).toHaveLength(1);
      const updates = await Promise.all(
        Array.from({ length: 6 }, (_, i) => putAnswer(store(), answerInput(questions[0]!, { text: `Update ${i}` }), upsertOptions(time(2), 1))),
      );
      expect(updates.filter((result) => result.ok)).toHaveLength(1);
      const [answer] = await store().answers.listByQuestions([questions[0]!.id]);
      expect(answer).toMatchObject({ version: 2, history: [{ version: 1 }] });

      // Unchecked writers all land, one after the other, on a single answer.
      const unchecked = await Promise.all(
        Array.from({ length: 6 }, (_, i) => putAnswer(store(), answerInput(questions[1]!, { text: `Free ${i}` }), upsertOptions(time(3)))),
      );
      expect(unchecked.every((result) => result.ok)).toBe(true);
      const [free] = await store().answers.listByQuestions([questions[1]!.id]);
      expect(free).toMatchObject({ version: 6 });
    });

    it('lists the chapters with at least one non-blank answer', async () => {
      const book = await givenBook(store());
      const withText = questionRecord(book.id, 'ch_A');
      const empty = questionRecord(book.id, 'ch_B');
      const blank = questionRecord(book.id, 'ch_C');
      const interview = questionRecord(book.id, null);
      const alsoA = questionRecord(book.id, 'ch_A', { position: 1 });
      await store().questions.swap(book.id, null, [withText, empty, blank, interview, alsoA], [], time(0));
      const texts = [[withText, ' Yes '], [empty, ''], [blank, '   '], [interview, 'Interview'], [alsoA, 'More']] as const;
      for (const [question, text] of texts) {
        expect((await putAnswer(store(), answerInput(question, { text }), upsertOptions(time(1)))).ok).toBe(true);
      }
      expect(await store().answers.chaptersWithAnswers(book.id)).toEqual(['ch_A']);
      expect(await store().answers.chaptersWithAnswers((await givenBook(store())).id)).toEqual([]);
    });
  });
}
