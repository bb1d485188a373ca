import { LIMITS } from '../../../../shared/limits.js';
import { GenerateBodySchema } from '../../../../shared/schemas/ai.js';
import { regenerateQuestionTask, type QuestionsInput } from '../../ai/tasks/questions-task.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { questionsWithAnswers } from '../authoring-context.js';
import { isoNow } from '../clock.js';
import { chapterOf, reservationFor, type AiOperation, type OperationDeps } from './operation.js';
import { questionsPromptBase } from './questions-generate.js';

/** One unanswered question rewritten in place (its lens kept), compare-and-swap on the version read. */
export function questionRegenerate(deps: OperationDeps): AiOperation {
  const { store, ai, clock } = deps;
  return {
    params: GenerateBodySchema.transform((body) => ({ fresh: body.fresh ?? false })),
    async plan(user, target, { fresh }) {
      const { bookId } = target;
      const chapterId = chapterOf(target);
      const base = await questionsPromptBase(deps, user, bookId, chapterId);
      const pairs = await questionsWithAnswers(store, bookId, chapterId);
      const found = pairs.find((pair) => pair.question.id === target.questionId);
      if (!found) throw notFound('question');
      const question = found.question;
      if (found.status !== 'unanswered') throw new AppError('QUESTION_ANSWERED', 'This question has an answer; it is kept as it is.');
      // A follow-up is grounded in the answer above it; asked afresh it would lose that.
      if (question.parentQuestionId) throw new AppError('VALIDATION', 'A follow-up question comes from your answer above it, so it is not asked differently; answer it or leave it empty.');
      if (question.regenerations >= LIMITS.regenerationsMax) {
        throw new AppError('LIMIT_REACHED', `A question can be regenerated at most ${LIMITS.regenerationsMax} times.`);
      }
      const input: QuestionsInput = { ...base, keep: pairs.map((pair) => pair.question.text), count: 1, lens: question.lens, variant: question.regenerations + 1 };
      return {
        reserve: () => reservationFor(ai, regenerateQuestionTask, input, { userId: user.id, fresh }),
        work: async (ctx) => {
          await ctx.progress(10, 'asking the model');
          const { output, generatedBy } = await ai.run(regenerateQuestionTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal });
          const next = output.questions[0]!;
          const [answer] = await store.answers.listByQuestions([question.id]);
          if (answer && answer.text.trim()) throw new AppError('QUESTION_ANSWERED', 'The question was answered meanwhile; it is kept as it is.');
          const swapped = await store.questions.replaceText(
            bookId, question.id,
            { text: next.text, helpText: next.helpText, lens: next.lens, suggestedWords: next.suggestedWords, generatedBy },
            question.version, isoNow(clock),
          );
          if (!swapped) throw new AppError('CONFLICT', 'The question changed meanwhile; reload and try again.');
          return { questionId: question.id };
        },
      };
    },
  };
}
