import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import { countWords } from '../../../shared/text-count.js';
import type { AiGateway } from '../ai/ai-gateway.js';
import { interviewTask } from '../ai/tasks/interview-task.js';
import { AppError, conflict } from '../lib/app-error.js';
import { presentAnswer, presentQuestion } from '../lib/authoring-presenters.js';
import type { QuestionRecord } from '../stores/engine-types.js';
import type { Store, UserRecord } from '../stores/types.js';
import { launchJob, reservationFor, requireReadyBrief, type JobPlan, type LaunchMode } from './ai-jobs.js';
import { briefOf, withAnswers } from './authoring-context.js';
import type { BooksService } from './books-service.js';
import { isoNow, type Clock } from './clock.js';
import type { JobsService } from './jobs-service.js';

/** The kick-off interview: generated questions (answered ones are kept) and the author's answers. */
export function createInterviewService(deps: { store: Store; books: BooksService; jobs: JobsService; ai: AiGateway; clock: Clock }) {
  const { store, books, jobs, ai, clock } = deps;

  async function read(userId: string, bookId: string) {
    await books.requireBook(userId, bookId);
    const questions = await store.questions.list(bookId, null);
    const pairs = withAnswers(questions, await store.answers.listByQuestions(questions.map((q) => q.id)));
    return {
      bookId,
      questions: pairs.map((pair) => presentQuestion(pair.question, pair.answer)),
      answered: pairs.filter((pair) => pair.status !== 'unanswered').length,
    };
  }

  async function plan(user: UserRecord, bookId: string, fresh: boolean): Promise<JobPlan> {
    const book = await books.requireBook(user.id, bookId);
    requireReadyBrief(book);
    const input = { brief: briefOf(book) };
    return {
      reserve: () => reservationFor(ai, interviewTask, input, { userId: user.id, fresh }),
      work: async (ctx) => {
        await ctx.progress(10, 'asking the model');
        const { output, generatedBy } = await ai.run(interviewTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal });
        await ctx.progress(80, 'saving questions');
        const existing = await store.questions.list(bookId, null);
        const pairs = withAnswers(existing, await store.answers.listByQuestions(existing.map((q) => q.id)));
        const keep = pairs.filter((pair) => pair.status !== 'unanswered');
        const replace = pairs.filter((pair) => pair.status === 'unanswered');
        const keptTexts = new Set(keep.map((pair) => pair.question.text));
        const at = isoNow(clock);
        const start = Math.max(-1, ...keep.map((pair) => pair.question.position)) + 1;
        const created: QuestionRecord[] = output.questions
          .filter((q) => !keptTexts.has(q.text))
          .map((q, index) => ({
            id: newId('question'), bookId, chapterId: null, position: start + index, text: q.text, helpText: q.helpText, lens: null,
            suggestedWords: 120, regenerations: 0, generatedBy, archivedAt: null, version: 1, createdAt: at, updatedAt: at,
          }));
        await store.questions.swap(bookId, null, created, replace.map((pair) => pair.question.id), at);
        return { questionIds: created.map((q) => q.id) };
      },
    };
  }

  jobs.handle('interview.generate', async (user, job) => (await plan(user, job.bookId, job.params.fresh === true)).work);

  return {
    read,

    generate: (user: UserRecord, bookId: string, fresh: boolean, mode: LaunchMode = 'start') =>
      plan(user, bookId, fresh).then((planned) =>
        launchJob(jobs, mode, { user, kind: 'interview.generate', bookId, chapterId: null, targetId: bookId, params: { fresh } }, planned)),

    async putAnswers(userId: string, bookId: string, answers: Array<{ questionId: string; text: string; version?: number }>) {
      await books.requireBook(userId, bookId);
      const questions = new Set((await store.questions.list(bookId, null)).map((q) => q.id));
      const unknown = answers.filter((a) => !questions.has(a.questionId)).map((a) => a.questionId);
      if (unknown.length > 0) throw new AppError('NOT_FOUND', 'Some questions are not part of this interview.', { questionIds: unknown });
      // Every version is checked before anything is written, so a stale item never leaves the others half-saved.
      const current = new Map((await store.answers.listByQuestions(answers.map((a) => a.questionId))).map((a) => [a.questionId, a]));
      const stale = answers.filter((a) => a.version !== undefined && (current.get(a.questionId)?.version ?? 0) !== a.version);
      if (stale.length > 0) {
        throw new AppError('CONFLICT', 'Some answers were changed elsewhere; compare both versions.', {
          current: stale.map((a) => (current.get(a.questionId) ? presentAnswer(current.get(a.questionId)!) : null)),
          questionIds: stale.map((a) => a.questionId),
        });
      }
      for (const item of answers) {
        const result = await store.answers.upsert(
          { questionId: item.questionId, bookId, chapterId: null, text: item.text, status: item.text.trim() ? 'final' : 'draft', words: countWords(item.text) },
          { expectedVersion: item.version ?? null, at: isoNow(clock), historyLimit: LIMITS.answerHistory, newId: () => newId('answer') },
        );
        if (!result.ok) throw conflict('answer', result.current ? presentAnswer(result.current) : null);
      }
      return read(userId, bookId);
    },
  };
}
