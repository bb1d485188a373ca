import { chapterCoverage } from '../../../shared/coverage.js';
import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import { countWords } from '../../../shared/text-count.js';
import type { AiGateway } from '../ai/ai-gateway.js';
import { questionsTask, regenerateQuestionTask, type QuestionsInput } from '../ai/tasks/questions-task.js';
import { AppError, notFound } from '../lib/app-error.js';
import { presentAnswer, presentQuestion } from '../lib/authoring-presenters.js';
import type { QuestionRecord } from '../stores/engine-types.js';
import type { Store, UserRecord } from '../stores/types.js';
import { launchJob, reservationFor, type JobPlan, type LaunchMode } from './ai-jobs.js';
import { briefOf, withAnswers } from './authoring-context.js';
import type { BooksService } from './books-service.js';
import type { ChaptersService } from './chapters-service.js';
import { isoNow, type Clock } from './clock.js';
import type { JobContext, JobsService } from './jobs-service.js';
import { activeTree } from './toc-tree.js';

type AnswerInput = { questionId: string; text: string; status: 'draft' | 'final'; version?: number };

/** Chapter questions: generation (answered ones kept), answers with history, batch saves, regeneration, coverage. */
export function createQuestionsService(deps: {
  store: Store; books: BooksService; chapters: ChaptersService; jobs: JobsService; ai: AiGateway; clock: Clock;
}) {
  const { store, books, chapters, jobs, ai, clock } = deps;

  async function pairsOf(bookId: string, chapterId: string) {
    const questions = await store.questions.list(bookId, chapterId);
    return withAnswers(questions, await store.answers.listByQuestions(questions.map((q) => q.id)));
  }

  async function baseInput(userId: string, bookId: string, chapterId: string) {
    const book = await books.requireBook(userId, bookId);
    const chapter = await chapters.requireChapter(userId, bookId, chapterId);
    if (chapter.archivedAt) throw new AppError('VALIDATION', 'This chapter is archived; restore it first.');
    const others = activeTree(await store.chapters.listByBook(bookId)).map(({ chapter: c }) => c.title).filter((t) => t !== chapter.title);
    return { book, chapter, brief: briefOf(book), otherChapters: others };
  }

  async function saveAnswer(bookId: string, chapterId: string, item: AnswerInput) {
    const question = await store.questions.get(bookId, item.questionId);
    if (!question || question.chapterId !== chapterId || question.archivedAt) throw notFound('question');
    const result = await store.answers.upsert(
      { questionId: question.id, bookId, chapterId, text: item.text, status: item.status, words: countWords(item.text) },
      { expectedVersion: item.version ?? null, at: isoNow(clock), historyLimit: LIMITS.answerHistory, newId: () => newId('answer') },
    );
    if (!result.ok) {
      throw new AppError('CONFLICT', 'This answer was changed elsewhere; compare both versions.', { current: result.current ? presentAnswer(result.current) : null });
    }
    return { question, answer: result.answer };
  }


  /**
   * Chapter questions, generate-then-swap. A model that returns fewer than asked is asked once more for the
   * missing ones (keeping those received); the result then says how many came.
   */
  async function planGenerate(user: UserRecord, bookId: string, chapterId: string, params: { count: number; fresh: boolean }): Promise<JobPlan> {
    const base = await baseInput(user.id, bookId, chapterId);
    const keep = (await pairsOf(bookId, chapterId)).filter((pair) => pair.status !== 'unanswered');
    const input: QuestionsInput = {
      brief: base.brief, chapter: { title: base.chapter.title, description: base.chapter.description }, otherChapters: base.otherChapters,
      keep: keep.map((pair) => pair.question.text), count: params.count, lens: null, variant: 0,
    };
    // Questions are shown as the model writes them (a second request for missing ones continues after the first's).
    const ask = (ctx: JobContext, request: QuestionsInput, offset = 0) =>
      ai.run(questionsTask, request, {
        userId: user.id, bookId, jobId: ctx.jobId, fresh: params.fresh, signal: ctx.signal, onItem: (at, item) => ctx.item(offset + at, item),
      });
    return {
      reserve: () => reservationFor(ai, questionsTask, input, { userId: user.id, fresh: params.fresh }),
      work: async (ctx) => {
        await ctx.progress(10, 'asking the model');
        const first = await ask(ctx, input);
        const received = first.output.questions.slice(0, params.count);
        if (received.length < params.count) {
          await ctx.progress(50, `asking for ${params.count - received.length} more questions`);
          const more = await ask(ctx, { ...input, keep: [...input.keep, ...received.map((q) => q.text)], count: params.count - received.length }, received.length);
          const seen = new Set(received.map((q) => q.text));
          received.push(...more.output.questions.filter((q) => !seen.has(q.text)).slice(0, params.count - received.length));
        }
        await ctx.progress(80, 'saving questions');
        // Generate-then-swap: unanswered questions are replaced only now that new ones exist.
        const now = await pairsOf(bookId, chapterId);
        const start = Math.max(-1, ...now.filter((p) => p.status !== 'unanswered').map((p) => p.question.position)) + 1;
        const at = isoNow(clock);
        const created: QuestionRecord[] = received.slice(0, LIMITS.questionsMax).map((q, index) => ({
          id: newId('question'), bookId, chapterId, position: start + index, text: q.text, helpText: q.helpText, lens: q.lens,
          suggestedWords: q.suggestedWords, regenerations: 0, generatedBy: first.generatedBy, archivedAt: null, version: 1, createdAt: at, updatedAt: at,
        }));
        await store.questions.swap(bookId, chapterId, created, now.filter((p) => p.status === 'unanswered').map((p) => p.question.id), at);
        const short = created.length < params.count;
        return {
          questionIds: created.map((q) => q.id), requested: params.count,
          note: short ? `The model wrote ${created.length} of the ${params.count} questions asked for, even when asked again.` : null,
        };
      },
    };
  }

  /** One unanswered question rewritten in place (its lens kept), compare-and-swap on the version read. */
  async function planRegenerate(user: UserRecord, bookId: string, chapterId: string, questionId: string, fresh: boolean): Promise<JobPlan> {
    const base = await baseInput(user.id, bookId, chapterId);
    const pairs = await pairsOf(bookId, chapterId);
    const target = pairs.find((pair) => pair.question.id === questionId);
    if (!target) throw notFound('question');
    if (target.status !== 'unanswered') throw new AppError('QUESTION_ANSWERED', 'This question has an answer; it is kept as it is.');
    if (target.question.regenerations >= LIMITS.regenerationsMax) {
      throw new AppError('LIMIT_REACHED', `A question can be regenerated at most ${LIMITS.regenerationsMax} times.`);
    }
    const input: QuestionsInput = {
      brief: base.brief, chapter: { title: base.chapter.title, description: base.chapter.description }, otherChapters: base.otherChapters,
      keep: pairs.map((pair) => pair.question.text), count: 1, lens: target.question.lens, variant: target.question.regenerations + 1,
    };
    return {
      reserve: () => reservationFor(ai, regenerateQuestionTask, input, { userId: user.id, fresh }),
      work: async (ctx) => {
        await ctx.progress(10, 'asking the model');
        const { output, generatedBy } = await ai.run(regenerateQuestionTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal });
        const next = output.questions[0]!;
        const [answer] = await store.answers.listByQuestions([questionId]);
        if (answer && answer.text.trim()) throw new AppError('QUESTION_ANSWERED', 'The question was answered meanwhile; it is kept as it is.');
        const swapped = await store.questions.replaceText(
          bookId, questionId,
          { text: next.text, helpText: next.helpText, lens: next.lens, suggestedWords: next.suggestedWords, generatedBy },
          target.question.version, isoNow(clock),
        );
        if (!swapped) throw new AppError('CONFLICT', 'The question changed meanwhile; reload and try again.');
        return { questionId };
      },
    };
  }

  jobs.handle('questions.generate', async (user, job) =>
    (await planGenerate(user, job.bookId, job.targetId, { count: Number(job.params.count ?? LIMITS.questionsDefault), fresh: job.params.fresh === true })).work);
  jobs.handle('question.regenerate', async (user, job) => (await planRegenerate(user, job.bookId, job.chapterId ?? '', job.targetId, job.params.fresh === true)).work);

  return {
    generate: (user: UserRecord, bookId: string, chapterId: string, options: { count?: number; fresh: boolean }, mode: LaunchMode = 'start') => {
      const params = { count: options.count ?? LIMITS.questionsDefault, fresh: options.fresh };
      return planGenerate(user, bookId, chapterId, params).then((planned) =>
        launchJob(jobs, mode, { user, kind: 'questions.generate', bookId, chapterId, targetId: chapterId, params }, planned));
    },

    /** Questions filtered by status first, then paged, so pages are complete and disjoint. */
    async list(userId: string, bookId: string, chapterId: string, query: { status?: 'unanswered' | 'draft' | 'final'; page: number; limit: number }) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const filtered = (await pairsOf(bookId, chapterId)).filter((pair) => !query.status || pair.status === query.status);
      const start = (query.page - 1) * query.limit;
      const items = filtered.slice(start, start + query.limit).map((pair) => presentQuestion(pair.question, pair.answer));
      const hasMore = start + query.limit < filtered.length;
      return { items, page: query.page, total: filtered.length, nextCursor: hasMore ? String(query.page + 1) : null };
    },

    async putAnswer(userId: string, bookId: string, chapterId: string, item: AnswerInput) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const { question, answer } = await saveAnswer(bookId, chapterId, item);
      return presentQuestion(question, answer);
    },

    /** Per-item results; a repeated question id collapses to one write, the last one. */
    async batch(userId: string, bookId: string, chapterId: string, items: AnswerInput[]) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const last = new Map(items.map((item) => [item.questionId, item]));
      const results = [];
      for (const item of last.values()) {
        try {
          const { answer } = await saveAnswer(bookId, chapterId, item);
          results.push({ questionId: item.questionId, ok: true, answer: presentAnswer(answer), error: null });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({ questionId: item.questionId, ok: false, answer: null, error: { code: error.code, message: error.message, details: error.details } });
        }
      }
      return { results };
    },

    regenerate: (user: UserRecord, bookId: string, chapterId: string, questionId: string, fresh: boolean, mode: LaunchMode = 'start') =>
      planRegenerate(user, bookId, chapterId, questionId, fresh).then((planned) =>
        launchJob(jobs, mode, { user, kind: 'question.regenerate', bookId, chapterId, targetId: questionId, params: { fresh } }, planned)),

    async progress(userId: string, bookId: string, chapterId: string) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const pairs = await pairsOf(bookId, chapterId);
      const answered = pairs.filter((pair) => pair.status !== 'unanswered');
      const accepted = await store.drafts.accepted(chapterId);
      return {
        chapterId,
        questions: pairs.length,
        answered: answered.length,
        final: pairs.filter((pair) => pair.status === 'final').length,
        answerWords: answered.reduce((sum, pair) => sum + pair.answer!.words, 0),
        coverage: chapterCoverage(pairs.map((pair) => ({ suggestedWords: pair.question.suggestedWords, answerText: pair.status === 'unanswered' ? null : pair.answer!.text }))),
        drafts: await store.drafts.count(chapterId),
        acceptedDraftId: accepted?.id ?? null,
      };
    },
  };
}
