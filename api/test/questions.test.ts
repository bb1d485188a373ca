import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { authorClient, type QuestionPage, type QuestionView } from './helpers/engine-fixtures.js';
import { runJob, waitForJob } from './helpers/journey.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let a: ReturnType<typeof authorClient>;
let b: ReturnType<typeof authorClient>;
let bookId: string;

const UNKNOWN_QUESTION = 'q_01J0000000000000000000000Z';
const chapterUrl = (chapterId: string, book = bookId) => `/v1/books/${book}/chapters/${chapterId}`;
const words = (n: number, word = 'listen') => Array.from({ length: n }, () => word).join(' ');

beforeAll(async () => {
  t = await buildTestApp({ RATE_LIMIT_AI_PER_MIN: '100000' });
  alice = await t.newUser();
  bob = await t.newUser();
  a = authorClient(t, alice.token);
  b = authorClient(t, bob.token);
  bookId = await a.book();
});
afterAll(() => t.close());

describe('listing: status filter before paging', () => {
  it('pages are complete and disjoint for every status, and total counts the filtered set', async () => {
    const chapter = await a.chapter(bookId, 'Listening first');
    const questions = await a.questions(bookId, chapter.id, 12);
    expect(questions).toHaveLength(12);
    // 4 drafts and 3 finals spread over the list, 5 unanswered.
    const drafts = [1, 4, 7, 10].map((i) => questions[i]!.id);
    const finals = [2, 5, 11].map((i) => questions[i]!.id);
    const batch = await a.call('POST', `${chapterUrl(chapter.id)}/answers/batch`, {
      answers: [
        ...drafts.map((questionId) => ({ questionId, text: 'A first note on this.', status: 'draft' })),
        ...finals.map((questionId) => ({ questionId, text: 'A finished answer on this.', status: 'final' })),
      ],
    });
    expect(batch.statusCode, batch.body).toBe(200);
    const expected = {
      draft: drafts,
      final: finals,
      unanswered: questions.map((q) => q.id).filter((id) => !drafts.includes(id) && !finals.includes(id)),
    };

    for (const [status, ids] of Object.entries(expected)) {
      for (const limit of [1, 2, 3, 5]) {
        const seen: string[] = [];
        for (let page = 1; ; page++) {
          const response = await a.call('GET', `${chapterUrl(chapter.id)}/questions?status=${status}&page=${page}&limit=${limit}`);
          expect(response.statusCode, response.body).toBe(200);
          const body = response.json<QuestionPage>();
          expect(body.total, `${status} total`).toBe(ids.length);
          expect(body.page).toBe(page);
          expect(body.items.every((q) => q.status === status)).toBe(true);
          const isLast = page * limit >= ids.length;
          // Every page but the last is full: filtering happened before paging.
          expect(body.items.length, `${status} page ${page} limit ${limit}`).toBe(isLast ? ids.length - (page - 1) * limit : limit);
          seen.push(...body.items.map((q) => q.id));
          if (isLast) {
            expect(body.nextCursor).toBeNull();
            break;
          }
          expect(body.nextCursor).not.toBeNull();
        }
        expect(new Set(seen).size, 'pages are disjoint').toBe(seen.length);
        expect(seen, 'union of pages is the filtered set, in order').toEqual(ids);
      }
    }
    const beyond = (await a.call('GET', `${chapterUrl(chapter.id)}/questions?status=final&page=9&limit=5`)).json<QuestionPage>();
    expect(beyond).toMatchObject({ items: [], total: 3, nextCursor: null });
    const all = (await a.call('GET', `${chapterUrl(chapter.id)}/questions?limit=100`)).json<QuestionPage>();
    expect(all.total).toBe(12);
    for (const query of ['status=answered', 'page=0', 'limit=0', 'limit=101']) {
      const bad = await a.call('GET', `${chapterUrl(chapter.id)}/questions?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(errorOf(bad).code).toBe('VALIDATION');
    }
  });
});

describe('answers', () => {
  let chapterId: string;
  let questions: QuestionView[];
  beforeAll(async () => {
    chapterId = (await a.chapter(bookId, 'The weekly routine')).id;
    questions = await a.questions(bookId, chapterId, 8);
  });

  it('goes draft → final with a version compare-and-swap; stale → 409 CONFLICT with details.current', async () => {
    const q = questions[0]!;
    const first = await a.answer(bookId, chapterId, q.id, 'A rough first answer.', 'draft');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<QuestionView>()).toMatchObject({ id: q.id, status: 'draft', answer: { status: 'draft', version: 1, text: 'A rough first answer.' } });

    const final = await a.answer(bookId, chapterId, q.id, 'The finished answer, with the ward story.', 'final', 1);
    expect(final.statusCode, final.body).toBe(200);
    expect(final.json<QuestionView>()).toMatchObject({ status: 'final', answer: { status: 'final', version: 2 } });

    const stale = await a.answer(bookId, chapterId, q.id, 'An edit from an old tab.', 'final', 1);
    expect(stale.statusCode).toBe(409);
    const error = errorOf(stale);
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({ current: { questionId: q.id, version: 2, text: 'The finished answer, with the ward story.', status: 'final' } });
    const listed = await a.allQuestions(bookId, chapterId);
    expect(listed.find((x) => x.id === q.id)!.answer).toMatchObject({ version: 2, text: 'The finished answer, with the ward story.' });
  });

  it('keeps a bounded edit history: twelve edits are fine and each one bumps the version', async () => {
    const q = questions[1]!;
    let version = (await a.answer(bookId, chapterId, q.id, 'Edit 0', 'draft')).json<QuestionView>().answer!.version;
    expect(version).toBe(1);
    for (let edit = 1; edit <= 12; edit++) {
      const response = await a.answer(bookId, chapterId, q.id, `Edit ${edit}`, edit === 12 ? 'final' : 'draft', version);
      expect(response.statusCode, response.body).toBe(200);
      const answer = response.json<QuestionView>().answer!;
      expect(answer.version).toBe(version + 1);
      expect(answer.text).toBe(`Edit ${edit}`);
      version = answer.version;
    }
    expect(version).toBe(13);
    // The history is kept by the store (either engine) but never served: read it through the store's interface.
    const [stored] = await t.app.store.answers.listByQuestions([q.id]);
    expect(stored!.history).toHaveLength(LIMITS.answerHistory);
    expect(stored!.history[0]).toMatchObject({ version: 12, text: 'Edit 11' });
  });

  it('rejects answer text over the limit and malformed bodies with 400', async () => {
    const q = questions[2]!;
    const longest = await a.answer(bookId, chapterId, q.id, 'x'.repeat(LIMITS.answerMaxChars), 'draft');
    expect(longest.statusCode, longest.body).toBe(200);
    const cases: Array<[string, unknown]> = [
      ['too long', { text: 'x'.repeat(LIMITS.answerMaxChars + 1), status: 'draft' }],
      ['bad status', { text: 'fine', status: 'done' }],
      ['no text', { status: 'final' }],
      ['version 0', { text: 'fine', status: 'final', version: 0 }],
    ];
    for (const [name, payload] of cases) {
      const response = await a.call('PUT', `${chapterUrl(chapterId)}/questions/${q.id}/answer`, payload);
      expect(response.statusCode, name).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
    const batchTooLong = await a.call('POST', `${chapterUrl(chapterId)}/answers/batch`, {
      answers: [{ questionId: q.id, text: 'x'.repeat(LIMITS.answerMaxChars + 1), status: 'draft' }],
    });
    expect(batchTooLong.statusCode).toBe(400);
    const batchLongId = await a.call('POST', `${chapterUrl(chapterId)}/answers/batch`, {
      answers: [{ questionId: 'q'.repeat(101), text: 'fine', status: 'draft' }],
    });
    expect(batchLongId.statusCode).toBe(400);
    // Nothing from the refused requests was saved.
    const after = (await a.allQuestions(bookId, chapterId)).find((x) => x.id === q.id)!;
    expect(after.answer).toMatchObject({ version: 1, text: 'x'.repeat(LIMITS.answerMaxChars) });
    const unknown = await a.answer(bookId, chapterId, UNKNOWN_QUESTION, 'fine');
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('NOT_FOUND');
  });

  it('batch: 1–100 items, per-item results, unknown questions fail alone', async () => {
    const url = `${chapterUrl(chapterId)}/answers/batch`;
    for (const count of [0, LIMITS.batchAnswersMax + 1]) {
      const answers = Array.from({ length: count }, () => ({ questionId: questions[3]!.id, text: 'x', status: 'draft' }));
      const response = await a.call('POST', url, { answers });
      expect(response.statusCode, `${count} items`).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
    expect((await a.allQuestions(bookId, chapterId)).find((q) => q.id === questions[3]!.id)!.answer).toBeNull();

    const otherChapter = await a.chapter(bookId, 'Elsewhere');
    const foreign = (await a.questions(bookId, otherChapter.id, 5))[0]!;
    const response = await a.call('POST', url, {
      answers: [
        { questionId: questions[3]!.id, text: 'Saved despite the bad item next to it.', status: 'final' },
        { questionId: UNKNOWN_QUESTION, text: 'Nowhere to go.', status: 'final' },
        { questionId: foreign.id, text: 'Wrong chapter.', status: 'final' },
        { questionId: questions[4]!.id, text: 'Also saved.', status: 'draft' },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    const results = response.json<{ results: Array<{ questionId: string; ok: boolean; answer: { text: string } | null; error: { code: string } | null }> }>().results;
    const byId = new Map(results.map((r) => [r.questionId, r]));
    expect(byId.get(questions[3]!.id)).toMatchObject({ ok: true, error: null, answer: { text: 'Saved despite the bad item next to it.' } });
    expect(byId.get(questions[4]!.id)).toMatchObject({ ok: true, error: null, answer: { text: 'Also saved.' } });
    expect(byId.get(UNKNOWN_QUESTION)).toMatchObject({ ok: false, answer: null, error: { code: 'NOT_FOUND' } });
    expect(byId.get(foreign.id)).toMatchObject({ ok: false, answer: null, error: { code: 'NOT_FOUND' } });
    const listed = await a.allQuestions(bookId, chapterId);
    expect(listed.find((q) => q.id === questions[3]!.id)).toMatchObject({ status: 'final', answer: { text: 'Saved despite the bad item next to it.' } });
    expect(listed.find((q) => q.id === questions[4]!.id)).toMatchObject({ status: 'draft', answer: { text: 'Also saved.' } });
    expect((await a.allQuestions(bookId, otherChapter.id)).find((q) => q.id === foreign.id)!.answer).toBeNull();
  });

  it('batch: a repeated question id is one write, the last text wins (version +1 only)', async () => {
    const url = `${chapterUrl(chapterId)}/answers/batch`;
    const q = questions[5]!;
    const before = (await a.answer(bookId, chapterId, q.id, 'Before the batch.', 'draft')).json<QuestionView>().answer!;
    const response = await a.call('POST', url, {
      answers: [
        { questionId: q.id, text: 'first', status: 'draft' },
        { questionId: questions[6]!.id, text: 'A neighbour.', status: 'draft' },
        { questionId: q.id, text: 'second', status: 'final' },
        { questionId: q.id, text: 'third and last', status: 'final' },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    const results = response.json<{ results: Array<{ questionId: string; ok: boolean; answer: { text: string; version: number } | null }> }>().results;
    for (const result of results.filter((r) => r.questionId === q.id)) {
      expect(result).toMatchObject({ ok: true, answer: { text: 'third and last', version: before.version + 1 } });
    }
    const after = (await a.allQuestions(bookId, chapterId)).find((x) => x.id === q.id)!;
    expect(after).toMatchObject({ status: 'final', answer: { text: 'third and last', version: before.version + 1 } });

    // 100 items naming one question: accepted, still a single write.
    const hundred = Array.from({ length: LIMITS.batchAnswersMax }, (_, i) => ({ questionId: q.id, text: `take ${i}`, status: 'final' }));
    const big = await a.call('POST', url, { answers: hundred });
    expect(big.statusCode, big.body).toBe(200);
    const last = (await a.allQuestions(bookId, chapterId)).find((x) => x.id === q.id)!;
    expect(last.answer).toMatchObject({ text: `take ${LIMITS.batchAnswersMax - 1}`, version: before.version + 2 });
  });
});

describe('regenerating one question', () => {
  it('replaces the text in place (same id and position), leaves siblings alone, and stops after 5', async () => {
    const chapter = await a.chapter(bookId, 'Difficult conversations');
    const before = await a.questions(bookId, chapter.id, 8);
    const target = before[3]!;
    let previous = target;
    for (let round = 1; round <= LIMITS.regenerationsMax; round++) {
      const job = await runJob(t, alice.token, 'POST', `${chapterUrl(chapter.id)}/questions/${target.id}/regenerate`);
      expect(job.result).toEqual({ questionId: target.id });
      const now = await a.allQuestions(bookId, chapter.id);
      expect(now.map((q) => q.id)).toEqual(before.map((q) => q.id));
      const regenerated = now.find((q) => q.id === target.id)!;
      expect(regenerated.position).toBe(target.position);
      expect(regenerated.regenerations).toBe(round);
      expect(regenerated.text).not.toBe(previous.text);
      for (const sibling of before.filter((q) => q.id !== target.id)) {
        expect(now.find((q) => q.id === sibling.id)).toMatchObject({ text: sibling.text, position: sibling.position, regenerations: 0 });
      }
      previous = regenerated;
    }
    const jobsBefore = (await a.call('GET', `/v1/jobs?bookId=${bookId}&limit=100`)).json<{ items: unknown[] }>().items.length;
    const capped = await a.call('POST', `${chapterUrl(chapter.id)}/questions/${target.id}/regenerate`);
    expect(capped.statusCode).toBe(409);
    expect(errorOf(capped).code).toBe('LIMIT_REACHED');
    expect((await a.call('GET', `/v1/jobs?bookId=${bookId}&limit=100`)).json<{ items: unknown[] }>().items).toHaveLength(jobsBefore);
    expect((await a.allQuestions(bookId, chapter.id)).find((q) => q.id === target.id)).toMatchObject({ regenerations: 5, text: previous.text });
  });

  it('refuses an answered question with 409 QUESTION_ANSWERED (draft or final)', async () => {
    const chapter = await a.chapter(bookId, 'Answered already');
    const [draftQ, finalQ] = await a.questions(bookId, chapter.id, 5);
    await a.answer(bookId, chapter.id, draftQ!.id, 'Half an answer.', 'draft');
    await a.answer(bookId, chapter.id, finalQ!.id, 'A whole answer.', 'final');
    for (const q of [draftQ!, finalQ!]) {
      const response = await a.call('POST', `${chapterUrl(chapter.id)}/questions/${q.id}/regenerate`);
      expect(response.statusCode).toBe(409);
      expect(errorOf(response).code).toBe('QUESTION_ANSWERED');
    }
    const unknown = await a.call('POST', `${chapterUrl(chapter.id)}/questions/${UNKNOWN_QUESTION}/regenerate`);
    expect(unknown.statusCode).toBe(404);
  });
});

describe('generating questions', () => {
  it('respects count 5–20 and refuses 4 and 21', async () => {
    const chapter = await a.chapter(bookId, 'Counting');
    for (const count of [LIMITS.questionsMin - 1, LIMITS.questionsMax + 1, 7.5]) {
      const response = await a.call('POST', `${chapterUrl(chapter.id)}/questions/generate`, { count });
      expect(response.statusCode, `count ${count}`).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
    expect(await a.allQuestions(bookId, chapter.id)).toHaveLength(0);
    expect(await a.questions(bookId, chapter.id, LIMITS.questionsMin)).toHaveLength(LIMITS.questionsMin);
    const other = await a.chapter(bookId, 'Counting more');
    const twenty = await a.questions(bookId, other.id, LIMITS.questionsMax);
    expect(twenty).toHaveLength(LIMITS.questionsMax);
    expect(new Set(twenty.map((q) => q.text)).size).toBe(LIMITS.questionsMax);
    expect(twenty.every((q) => q.status === 'unanswered' && q.suggestedWords! > 0)).toBe(true);
  });

  it('again: keeps answered questions (same ids, answers intact) and replaces only unanswered ones', async () => {
    const chapter = await a.chapter(bookId, 'Regenerate the set');
    const first = await a.questions(bookId, chapter.id, 6);
    const kept = [first[1]!, first[4]!];
    await a.answer(bookId, chapter.id, kept[0]!.id, 'Maria asked what surprised her nurse.', 'draft');
    await a.answer(bookId, chapter.id, kept[1]!.id, 'Two minutes of silence is fine.', 'final');
    const answeredBefore = (await a.allQuestions(bookId, chapter.id)).filter((q) => q.status !== 'unanswered');

    const job = await runJob(t, alice.token, 'POST', `${chapterUrl(chapter.id)}/questions/generate`, { count: 5 });
    const after = await a.allQuestions(bookId, chapter.id);
    expect(after).toHaveLength(2 + 5);
    for (const answered of answeredBefore) expect(after.find((q) => q.id === answered.id)).toEqual(answered);
    const fresh = after.filter((q) => !kept.some((k) => k.id === q.id));
    expect(fresh.map((q) => q.id).sort()).toEqual([...(job.result.questionIds as string[])].sort());
    expect(fresh.every((q) => q.status === 'unanswered' && !first.some((old) => old.id === q.id))).toBe(true);
    expect(new Set(after.map((q) => q.position)).size).toBe(after.length);
    const oldUnanswered = first.filter((q) => !kept.some((k) => k.id === q.id));
    const answerOld = await a.answer(bookId, chapter.id, oldUnanswered[0]!.id, 'Too late.');
    expect(answerOld.statusCode).toBe(404);
  });
});

describe('progress and coverage', () => {
  it('is 0 with no answers and rises as answers are written', async () => {
    const empty = await a.chapter(bookId, 'No questions yet');
    expect((await a.call('GET', `${chapterUrl(empty.id)}/progress`)).json()).toMatchObject({
      chapterId: empty.id, questions: 0, answered: 0, final: 0, answerWords: 0, coverage: 0, drafts: 0, acceptedDraftId: null,
    });
    const chapter = await a.chapter(bookId, 'Coverage');
    const questions = await a.questions(bookId, chapter.id, 5);
    const progressOf = async () => (await a.call('GET', `${chapterUrl(chapter.id)}/progress`)).json<{ coverage: number; answered: number; final: number; answerWords: number; questions: number }>();
    expect(await progressOf()).toMatchObject({ questions: 5, answered: 0, coverage: 0 });

    let last = 0;
    for (const [index, q] of questions.entries()) {
      await a.answer(bookId, chapter.id, q.id, words(Math.ceil((q.suggestedWords ?? 100) / 2)), index % 2 ? 'final' : 'draft');
      const progress = await progressOf();
      expect(progress.answered).toBe(index + 1);
      expect(progress.coverage).toBeGreaterThan(last);
      last = progress.coverage;
    }
    expect(last).toBeCloseTo(0.5, 2);
    // Full-length answers cover the chapter completely; longer ones cannot pass 1.
    for (const q of questions) await a.answer(bookId, chapter.id, q.id, words((q.suggestedWords ?? 100) * 2), 'final');
    const full = await progressOf();
    expect(full).toMatchObject({ answered: 5, final: 5, coverage: 1 });
    expect(full.answerWords).toBe(questions.reduce((sum, q) => sum + (q.suggestedWords ?? 100) * 2, 0));
    // Clearing an answer lowers coverage again.
    await a.answer(bookId, chapter.id, questions[0]!.id, '', 'draft');
    expect((await progressOf()).coverage).toBeLessThan(1);
  });
});

describe("another user's chapters and questions", () => {
  it('are 404 on every questions, drafts and progress route', async () => {
    const chapter = await a.chapter(bookId, 'Private');
    const [q] = await a.questions(bookId, chapter.id, 5);
    await a.answer(bookId, chapter.id, q!.id, 'Only Alice may read this.');
    const draftJob = await runJob(t, alice.token, 'POST', `${chapterUrl(chapter.id)}/drafts/generate`, { style: 'professional', targetWords: 300 });
    const draftId = draftJob.result.draftId as string;
    const bobBook = await b.book('Bob writes too');
    const bobChapter = await b.chapter(bobBook, 'Bob chapter');

    const base = chapterUrl(chapter.id);
    const routes: Array<[('GET' | 'POST' | 'PUT'), string, unknown?]> = [
      ['GET', `${base}/questions`],
      ['GET', `${base}/questions?status=final`],
      ['POST', `${base}/questions/generate`, { count: 5 }],
      ['PUT', `${base}/questions/${q!.id}/answer`, { text: 'Bob was here', status: 'final' }],
      ['POST', `${base}/answers/batch`, { answers: [{ questionId: q!.id, text: 'Bob was here', status: 'final' }] }],
      ['POST', `${base}/questions/${q!.id}/regenerate`],
      ['GET', `${base}/progress`],
      ['GET', `/v1/books/${bookId}/progress`],
      ['POST', `${base}/drafts/generate`, { style: 'professional', targetWords: 300 }],
      ['GET', `${base}/drafts`],
      ['GET', `${base}/drafts/${draftId}`],
      ['POST', `${base}/drafts/${draftId}/accept`],
      // Alice's chapter and question under Bob's own book.
      ['GET', `${chapterUrl(chapter.id, bobBook)}/questions`],
      ['GET', `${chapterUrl(chapter.id, bobBook)}/progress`],
      ['PUT', `${chapterUrl(bobChapter.id, bobBook)}/questions/${q!.id}/answer`, { text: 'Bob was here', status: 'final' }],
      ['POST', `${chapterUrl(bobChapter.id, bobBook)}/questions/${q!.id}/regenerate`],
      ['GET', `${chapterUrl(bobChapter.id, bobBook)}/drafts/${draftId}`],
      ['POST', `${chapterUrl(bobChapter.id, bobBook)}/drafts/${draftId}/accept`],
    ];
    for (const [method, url, payload] of routes) {
      const response = await b.call(method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }
    // Bob's batch into his own chapter naming Alice's question: that item alone fails.
    const batch = await b.call('POST', `${chapterUrl(bobChapter.id, bobBook)}/answers/batch`, {
      answers: [{ questionId: q!.id, text: 'Bob was here', status: 'final' }],
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json().results[0]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const mine = await a.allQuestions(bookId, chapter.id);
    expect(mine.find((x) => x.id === q!.id)!.answer).toMatchObject({ text: 'Only Alice may read this.', version: 1 });
    const drafts = (await a.call('GET', `${base}/drafts`)).json<{ items: Array<{ id: string; accepted: boolean }> }>().items;
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.accepted).toBe(false);
    const bobJobs = (await b.call('GET', '/v1/jobs?limit=100')).json<{ items: unknown[] }>().items;
    expect(bobJobs).toHaveLength(0);
    // The draft job belongs to Alice; Bob polling it is a 404 too.
    const polled = await b.call('GET', `/v1/jobs/${draftJob.id as string}`);
    expect(polled.statusCode).toBe(404);
    expect((await waitForJob(t, alice.token, draftJob.id as string)).status).toBe('succeeded');
  });
});
