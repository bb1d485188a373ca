import { isLongAndComplete } from '../../../../shared/follow-up.js';
import { newId } from '../../../../shared/ids.js';
import { GenerateBodySchema } from '../../../../shared/schemas/ai.js';
import { followUpTask, type FollowUpInput, type FollowUpOutput } from '../../ai/tasks/follow-up-task.js';
import type { AiTask } from '../../ai/llm.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { QuestionRecord } from '../../stores/engine-types.js';
import type { BookRecord, UserRecord } from '../../stores/types.js';
import { briefOf, questionsWithAnswers } from '../authoring-context.js';
import { isoNow } from '../clock.js';
import { chapterOf, reservationFor, type AiOperation, type OperationDeps, type OperationTarget } from './operation.js';

const ALREADY = 'This question already has its follow-up question.';

/** Where the questions live: a chapter's, or the kick-off interview's (`chapterId` null, `chapter` null). */
export interface FollowUpScope {
  task: AiTask<FollowUpInput, FollowUpOutput>;
  /** Checks that the user may work here (NOT_FOUND otherwise) and says which questions the follow-up joins. */
  open(user: UserRecord, target: OperationTarget): Promise<{ book: BookRecord; chapterId: string | null; chapter: FollowUpInput['chapter'] }>;
  /** Said when the parent has no final answer yet. */
  needsAnswer: string;
}

/**
 * One follow-up question, grounded in a final answer: at most one per question, none for a follow-up itself or an
 * answer that is long and complete (the shared rule in shared/follow-up.ts), and the model may decline too. The
 * follow-up is a question like any other (help text, answers, coverage or readiness) that names its parent. Chapter
 * questions and the kick-off interview share this rule; only their scope differs.
 */
export function followUpOperation({ store, ai, clock }: OperationDeps, scope: FollowUpScope): AiOperation {
  return {
    params: GenerateBodySchema.transform((body) => ({ fresh: body.fresh ?? false })),
    async plan(user, target, { fresh }) {
      const { bookId, questionId } = target;
      const { book, chapterId, chapter } = await scope.open(user, target);
      const pairs = await questionsWithAnswers(store, bookId, chapterId);
      const parent = pairs.find((pair) => pair.question.id === questionId);
      if (!parent || !questionId) throw notFound('question');
      if (parent.question.parentQuestionId) throw new AppError('VALIDATION', 'This question is already a follow-up; answer it as it is.');
      if (pairs.some((pair) => pair.question.parentQuestionId === questionId)) throw new AppError('LIMIT_REACHED', ALREADY);
      if (parent.status !== 'final') throw new AppError('VALIDATION', scope.needsAnswer);
      const answer = parent.answer!.text;
      if (isLongAndComplete(answer, parent.question.suggestedWords)) {
        throw new AppError('VALIDATION', 'This answer is already long and complete, so it needs no follow-up question.');
      }
      const input: FollowUpInput = {
        brief: briefOf(book), chapter,
        question: { text: parent.question.text, helpText: parent.question.helpText, lens: parent.question.lens }, answer,
        otherQuestions: pairs.filter((pair) => pair.question.id !== questionId).map((pair) => pair.question.text),
      };
      return {
        reserve: () => reservationFor(ai, scope.task, input, { userId: user.id, fresh }),
        work: async (ctx) => {
          await ctx.progress(10, 'reading your answer');
          const { output, generatedBy } = await ai.run(scope.task, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal });
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

/** A chapter question's follow-up. */
export function questionFollowUp(deps: OperationDeps): AiOperation {
  return followUpOperation(deps, {
    task: followUpTask,
    needsAnswer: 'Mark the answer final first: a follow-up builds on your final answer.',
    async open(user, target) {
      const chapterId = chapterOf(target);
      const book = await deps.books.requireBook(user.id, target.bookId);
      const chapter = await deps.chapters.requireChapter(user.id, target.bookId, chapterId);
      return { book, chapterId, chapter: { title: chapter.title, description: chapter.description } };
    },
  });
}
