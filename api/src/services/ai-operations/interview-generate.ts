import { newId } from '../../../../shared/ids.js';
import { GenerateBodySchema } from '../../../../shared/schemas/ai.js';
import { interviewTask } from '../../ai/tasks/interview-task.js';
import type { QuestionRecord } from '../../stores/engine-types.js';
import { briefOf, questionsWithAnswers } from '../authoring-context.js';
import { isoNow } from '../clock.js';
import { requireReadyBrief, reservationFor, type AiOperation, type OperationDeps } from './operation.js';

/** The kick-off interview's questions, generated from the brief; answered ones are kept, unanswered ones replaced. */
export function interviewGenerate({ store, books, ai, clock }: OperationDeps): AiOperation {
  return {
    params: GenerateBodySchema.transform((body) => ({ fresh: body.fresh ?? false })),
    async plan(user, { bookId }, { fresh }) {
      const book = await books.requireBook(user.id, bookId);
      requireReadyBrief(book);
      const input = { brief: briefOf(book) };
      return {
        reserve: () => reservationFor(ai, interviewTask, input, { userId: user.id, fresh }),
        work: async (ctx) => {
          await ctx.progress(10, 'asking the model');
          const { output, generatedBy } = await ai.run(interviewTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal });
          await ctx.progress(80, 'saving questions');
          const pairs = await questionsWithAnswers(store, bookId, null);
          const keep = pairs.filter((pair) => pair.status !== 'unanswered');
          const replace = pairs.filter((pair) => pair.status === 'unanswered');
          const keptTexts = new Set(keep.map((pair) => pair.question.text));
          const at = isoNow(clock);
          const start = Math.max(-1, ...keep.map((pair) => pair.question.position)) + 1;
          const created: QuestionRecord[] = output.questions
            .filter((q) => !keptTexts.has(q.text))
            .map((q, index) => ({
              id: newId('question'), bookId, chapterId: null, position: start + index, text: q.text, helpText: q.helpText, lens: null,
              suggestedWords: 120, regenerations: 0, parentQuestionId: null, generatedBy, archivedAt: null, version: 1, createdAt: at, updatedAt: at,
            }));
          await store.questions.swap(bookId, null, created, replace.map((pair) => pair.question.id), at);
          return { questionIds: created.map((q) => q.id) };
        },
      };
    },
  };
}
