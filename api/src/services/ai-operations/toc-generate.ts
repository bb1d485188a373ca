import { newId } from '../../../../shared/ids.js';
import { LIMITS } from '../../../../shared/limits.js';
import { GenerateBodySchema } from '../../../../shared/schemas/ai.js';
import { tocTask, type TocInput } from '../../ai/tasks/toc-task.js';
import type { ProposalRecord } from '../../stores/engine-types.js';
import { briefOf, chaptersWithMaterial, questionsWithAnswers } from '../authoring-context.js';
import { isoNow } from '../clock.js';
import { activeTree } from '../toc-tree.js';
import { requireReadyBrief, reservationFor, type AiOperation, type OperationDeps } from './operation.js';

/** A table of contents proposed from the brief, the interview and the chapters so far, stored as a proposal to apply. */
export function tocGenerate({ store, books, ai, clock }: OperationDeps): AiOperation {
  return {
    params: GenerateBodySchema.transform((body) => ({ fresh: body.fresh ?? false })),
    async plan(user, { bookId }, { fresh }) {
      const book = await books.requireBook(user.id, bookId);
      requireReadyBrief(book);
      const all = await store.chapters.listByBook(bookId);
      const material = await chaptersWithMaterial(store, bookId, all);
      const active = activeTree(all).flatMap(({ chapter, children }) => [chapter, ...children]);
      const interview = (await questionsWithAnswers(store, bookId, null))
        .filter((pair) => pair.status !== 'unanswered')
        .map((pair) => ({ question: pair.question.text, answer: pair.answer!.text }));
      const refToId = new Map(active.map((chapter, index) => [`C${index + 1}`, chapter.id]));
      const input: TocInput = {
        brief: briefOf(book), interview,
        existing: active.map((chapter, index) => ({
          ref: `C${index + 1}`,
          parentRef: chapter.parentId ? `C${active.findIndex((c) => c.id === chapter.parentId) + 1}` : null,
          title: chapter.title, description: chapter.description, hasMaterial: material.has(chapter.id),
        })),
      };
      return {
        reserve: () => reservationFor(ai, tocTask, input, { userId: user.id, fresh }),
        work: async (ctx) => {
          await ctx.progress(10, 'asking the model');
          // Chapters are shown as the model writes them (titles only: its refs to existing chapters are internal).
          const onItem = (at: number, item: unknown) => {
            const chapter = item as { title: string; description: string | null; sections: Array<{ title: string }> };
            ctx.item(at, { title: chapter.title, description: chapter.description, sections: chapter.sections.map((s) => s.title) });
          };
          const { output, generatedBy } = await ai.run(tocTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal, onItem });
          const used = new Set<string>();
          // A ref the model invented, or used twice, becomes a new chapter rather than hijacking another.
          const idOf = (ref: string | null) => {
            const id = ref ? refToId.get(ref) : undefined;
            if (!id || used.has(id)) return null;
            used.add(id);
            return id;
          };
          const proposal: ProposalRecord = {
            id: newId('proposal'), bookId, basedOnTocVersion: book.tocVersion, status: 'pending', generatedBy, createdAt: isoNow(clock),
            chapters: output.chapters.slice(0, LIMITS.chaptersPerBook).map((c) => ({
              id: idOf(c.ref), title: c.title, description: c.description,
              children: c.sections.map((s) => ({ id: idOf(s.ref), title: s.title, description: s.description })),
            })),
          };
          await store.proposals.create(proposal);
          return { proposalId: proposal.id };
        },
      };
    },
  };
}
