import { isLongAndComplete } from '../../../../shared/follow-up.js';
import { newId } from '../../../../shared/ids.js';
import { GenerateBodySchema } from '../../../../shared/schemas/ai.js';
import { followUpTask, type FollowUpInput } from '../../ai/tasks/follow-up-task.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { QuestionRecord } from '../../stores/engine-types.js';
import { briefOf, questionsWithAnswers } from '../authoring-context.js';
import { isoNow } from '../clock.js';
import { chapterOf, reservationFor, type AiOperation, type OperationDeps } from './operation.js';

const ALREADY = 'This question already has its follow-up question.';

/**
 * One follow-up question, grounded in a final answer: at most one per question, none for a follow-up itself or an
 * answer that is long and complete (the shared rule in shared/follow-up.ts), and the model may decline too. The
 * follow-up is a question like any other (lens, help text, answers, coverage) that names its parent.
 */
export function questionFollowUp({ store, books, chapters, ai, clock }: OperationDeps): AiOperation {
  return {
    params: GenerateBodySchema.transform((body) => ({ fresh: body.fresh ?? false })),
    async plan(user, target, { fresh }) {
      const { bookId, questionId } = target;
      const chapterId = chapterOf(target);
      const book = await books.requireBook(user.id, bookId);
      const chapter = await chapters.requireChapter(user.id, bookId, chapterId);
      const pairs = await questionsWithAnswers(store, bookId, chapterId);
      const parent = pairs.find((pair) => pair.question.id === questionId);
      if (!parent || !questionId) throw notFound('question');
      if (parent.question.parentQuestionId) throw new AppError('VALIDATION', 'This question is already a follow-up; answer it as it is.');
      if (pairs.some((pair) => pair.question.parentQuestionId === questionId)) throw new AppError('LIMIT_REACHED', ALREADY);
      if (parent.status !== 'final') throw new AppError('VALIDATION', 'Mark the answer final first: a follow-up builds on your final answer.');
      const answer = parent.answer!.text;
      if (isLongAndComplete(answer, parent.question.suggestedWords)) {
        throw new AppError('VALIDATION', 'This answer is already long and complete, so it needs no follow-up question.');
      }
      const input: FollowUpInput = {
        brief: briefOf(book), chapter: { title: chapter.title, description: chapter.description },
        question: { text: parent.question.text, helpText: parent.question.helpText, lens: parent.question.lens }, answer,
        otherQuestions: pairs.filter((pair) => pair.question.id !== questionId).map((pair) => pair.question.text),
      };
      return {
        reserve: () => reservationFor(ai, followUpTask, input, { userId: user.id, fresh }),
        work: async (ctx) => {
          await ctx.progress(10, 'reading your answer');
          const { output, generatedBy } = await ai.run(followUpTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal });
          if (!output.followUp) return { questionId: null, parentQuestionId: questionId, note: `No follow-up needed${output.reason ? `: ${output.reason}` : '.'}` };
          await ctx.progress(80, 'saving the follow-up');
          const now = await store.questions.list(bookId, chapterId);
          if (now.some((q) => q.parentQuestionId === questionId)) throw new AppError('LIMIT_REACHED', ALREADY);
          const at = isoNow(clock);
          const followUp: QuestionRecord = {
            id: newId('question'), bookId, chapterId, position: Math.max(-1, ...now.map((q) => q.position)) + 1, text: output.followUp.text,
            helpText: output.followUp.helpText, lens: output.followUp.lens, suggestedWords: output.followUp.suggestedWords, regenerations: 0,
            parentQuestionId: questionId, generatedBy, archivedAt: null, version: 1, createdAt: at, updatedAt: at,
          };
          await store.questions.swap(bookId, chapterId, [followUp], [], at);
          return { questionId: followUp.id, parentQuestionId: questionId, note: null };
        },
      };
    },
  };
}
