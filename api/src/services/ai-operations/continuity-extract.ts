import { z } from 'zod';
import { newId } from '../../../../shared/ids.js';
import { GenerateBodySchema } from '../../../../shared/schemas/ai.js';
import { continuityExtractTask, type ContinuityExtractInput } from '../../ai/tasks/continuity-task.js';
import { AppError } from '../../lib/app-error.js';
import type { ContinuityNoteRecord } from '../../stores/engine-types.js';
import { isoNow } from '../clock.js';
import { replaceChapterNotes, subjectsNotToExtract } from '../continuity-rules.js';
import { blockRefs } from '../continuity-service.js';
import { chapterOf, reservationFor, type AiOperation, type OperationDeps } from './operation.js';

type Source = { questionId: string; answerVersion: number };

/** `draftId` (set when an accept starts the job) tells an extraction apart from one still running for an earlier accept. */
const ExtractParamsSchema = GenerateBodySchema.extend({ draftId: z.string().max(100).optional() })
  .transform((body) => ({ fresh: body.fresh ?? false, ...(body.draftId ? { draftId: body.draftId } : {}) }));

/**
 * The facts a chapter's accepted draft establishes, kept as the book's continuity notes with their sources (chapter,
 * draft, answers). They replace that chapter's earlier extraction, never a note the author edited or locked, never
 * repeat a subject the book already has, and never bring back one the author deleted.
 */
export function continuityExtract({ store, books, chapters, ai, clock }: OperationDeps): AiOperation {
  return {
    params: ExtractParamsSchema,
    async plan(user, target, { fresh }) {
      const { bookId } = target;
      const chapterId = chapterOf(target);
      const book = await books.requireBook(user.id, bookId);
      const chapter = await chapters.requireChapter(user.id, bookId, chapterId);
      const draft = await store.drafts.accepted(chapterId);
      if (!draft) throw new AppError('VALIDATION', 'This chapter has no accepted draft yet; accept one first.');
      const { refs, byRef } = blockRefs(draft.blocks);
      const input: ContinuityExtractInput = {
        language: book.language, chapter: { title: chapter.title }, blocks: refs.map(({ ref, text }) => ({ ref, text })),
        known: await subjectsNotToExtract(store, bookId, chapterId),
      };
      return {
        reserve: () => reservationFor(ai, continuityExtractTask, input, { userId: user.id, fresh }),
        work: async (ctx) => {
          await ctx.progress(10, 'reading the accepted draft');
          const { output, generatedBy } = await ai.run(continuityExtractTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal });
          await ctx.progress(80, 'saving the continuity notes');
          const at = isoNow(clock);
          const extracted = output.notes.map((note): ContinuityNoteRecord => {
            const answers = new Map<string, Source>();
            for (const ref of note.blocks) for (const source of byRef.get(ref)?.sources ?? []) answers.set(source.questionId, source);
            return {
              id: newId('continuityNote'), bookId, kind: note.kind, subject: note.subject.trim(), detail: note.detail.trim(),
              source: { chapterId, draftId: draft.id, answers: [...answers.values()] }, locked: false, editedAt: null, generatedBy,
              version: 1, createdAt: at, updatedAt: at,
            };
          });
          const { added, removed } = await replaceChapterNotes(store, bookId, chapterId, extracted);
          return { noteIds: added.map((note) => note.id), added: added.length, replaced: removed, draftId: draft.id };
        },
      };
    },
  };
}
