import { countWords } from '../../../../shared/text-count.js';
import { ReworkPassageBodySchema, type PassageAction, type PassageResult } from '../../../../shared/schemas/passages.js';
import { passageTask, type PassageInput } from '../../ai/tasks/passage-task.js';
import { briefOf } from '../authoring-context.js';
import { reservationFor, type AiOperation, type OperationDeps } from './operation.js';

/** The passage as paragraphs (the document's paragraphs arrive separated by newlines). */
const paragraphsOf = (text: string) => text.split(/\r\n|\r|\n/u).map((line) => line.trim()).filter(Boolean);

/**
 * A passage the author selected in the document, rewritten, expanded, shortened or continued. The result lives only
 * in the job (`PassageResult`): the document changes when the author inserts it from the panel, which checks first
 * that the selection still holds what was sent.
 */
export function passageRework({ books, ai }: OperationDeps): AiOperation<{ action: PassageAction; passage: string; fresh: boolean }> {
  return {
    params: ReworkPassageBodySchema.transform((body) => ({ action: body.action, passage: body.passage, fresh: body.fresh ?? false })),
    async plan(user, { bookId }, params) {
      const book = await books.requireBook(user.id, bookId);
      const input: PassageInput = {
        brief: briefOf(book), action: params.action, passage: paragraphsOf(params.passage), standingInstructions: book.standingInstructions,
      };
      return {
        reserve: () => reservationFor(ai, passageTask, input, { userId: user.id, fresh: params.fresh }),
        work: async (ctx) => {
          await ctx.progress(10, 'asking the model');
          // Paragraphs are shown as the model writes them.
          const onItem = (at: number, item: unknown) => ctx.item(at, { text: item });
          const { output, generatedBy } = await ai.run(passageTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh: params.fresh, signal: ctx.signal, onItem });
          const paragraphs = output.paragraphs.map((p) => p.trim()).filter(Boolean);
          const result: PassageResult = { action: params.action, paragraphs, words: countWords(paragraphs.join('\n')), generatedBy };
          return result;
        },
      };
    },
  };
}
