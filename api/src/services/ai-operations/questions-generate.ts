import { newId } from '../../../../shared/ids.js';
import { LIMITS } from '../../../../shared/limits.js';
import { GenerateQuestionsBodySchema } from '../../../../shared/schemas/authoring.js';
import { questionsTask, type QuestionsInput } from '../../ai/tasks/questions-task.js';
import { AppError } from '../../lib/app-error.js';
import type { QuestionRecord } from '../../stores/engine-types.js';
import type { UserRecord } from '../../stores/types.js';
import { briefOf, questionsWithAnswers } from '../authoring-context.js';
import { isoNow } from '../clock.js';
import type { JobContext } from '../job-execution.js';
import { activeTree } from '../toc-tree.js';
import { chapterOf, reservationFor, type AiOperation, type OperationDeps } from './operation.js';

/** What every question prompt starts from: the brief, the chapter (not archived) and the other chapters' titles. */
export async function questionsPromptBase({ store, books, chapters }: OperationDeps, user: UserRecord, bookId: string, chapterId: string) {
  const book = await books.requireBook(user.id, bookId);
  const chapter = await chapters.requireChapter(user.id, bookId, chapterId);
  if (chapter.archivedAt) throw new AppError('VALIDATION', 'This chapter is archived; restore it first.');
  const others = activeTree(await store.chapters.listByBook(bookId)).map(({ chapter: c }) => c.title).filter((t) => t !== chapter.title);
  return { brief: briefOf(book), chapter: { title: chapter.title, description: chapter.description }, otherChapters: others };
}

/**
 * Chapter questions, generate-then-swap. A model that returns fewer than asked is asked once more for the
 * missing ones (keeping those received); the result then says how many came.
 */
export function questionsGenerate(deps: OperationDeps): AiOperation<{ count: number; fresh: boolean }> {
  const { store, ai, clock } = deps;
  return {
    params: GenerateQuestionsBodySchema.transform((body) => ({ count: body.count ?? LIMITS.questionsDefault, fresh: body.fresh ?? false })),
    async plan(user, target, params) {
      const { bookId } = target;
      const chapterId = chapterOf(target);
      const base = await questionsPromptBase(deps, user, bookId, chapterId);
      const keep = (await questionsWithAnswers(store, bookId, chapterId)).filter((pair) => pair.status !== 'unanswered');
      const input: QuestionsInput = { ...base, keep: keep.map((pair) => pair.question.text), count: params.count, lens: null, variant: 0 };
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
          const now = await questionsWithAnswers(store, bookId, chapterId);
          const start = Math.max(-1, ...now.filter((p) => p.status !== 'unanswered').map((p) => p.question.position)) + 1;
          const at = isoNow(clock);
          const created: QuestionRecord[] = received.slice(0, LIMITS.questionsMax).map((q, index) => ({
            id: newId('question'), bookId, chapterId, position: start + index, text: q.text, helpText: q.helpText, lens: q.lens,
            suggestedWords: q.suggestedWords, regenerations: 0, parentQuestionId: null, generatedBy: first.generatedBy, archivedAt: null, version: 1, createdAt: at, updatedAt: at,
          }));
          await store.questions.swap(bookId, chapterId, created, now.filter((p) => p.status === 'unanswered').map((p) => p.question.id), at);
          const short = created.length < params.count;
          return {
            questionIds: created.map((q) => q.id), requested: params.count,
            note: short ? `The model wrote ${created.length} of the ${params.count} questions asked for, even when asked again.` : null,
          };
        },
      };
    },
  };
}
