import { cleanBlockText } from '../../../../shared/block-text.js';
import type { Block } from '../../../../shared/blocks.js';
import { newId } from '../../../../shared/ids.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { GeneratedBy } from '../../../../shared/schemas/ai.js';
import { GenerateDraftBodySchema } from '../../../../shared/schemas/authoring.js';
import { TruncatedError } from '../../ai/ai-gateway.js';
import { draftSectionTask, type DraftInput, type DraftOutput } from '../../ai/tasks/draft-task.js';
import { AppError } from '../../lib/app-error.js';
import { presentDraft } from '../../lib/authoring-presenters.js';
import type { DraftRecord } from '../../stores/engine-types.js';
import { answerRefs, briefOf, questionsWithAnswers } from '../authoring-context.js';
import { bookContextFor, continuityCheckInput, continuityFlags } from '../book-memory.js';
import { isoNow } from '../clock.js';
import { addNextDraft } from '../draft-rules.js';
import { wordsOf } from '../draft-versions.js';
import { chapterOf, reservationFor, type AiOperation, type OperationDeps } from './operation.js';

type Source = { questionId: string; answerVersion: number };
const SHORT_RATIO = 0.6;

/**
 * Model blocks → stored blocks: text cleaned, refs mapped to answer sources (a ref may stand for several: a revised
 * block citing the earlier block it came from), each source once, unsourced blocks flagged.
 */
export function toBlocks(output: DraftOutput, byRef: ReadonlyMap<string, Source | readonly Source[]>): Block[] {
  const blocks: Block[] = [];
  for (const block of output.blocks) {
    const cited = [...new Set(block.sources)].flatMap((ref) => byRef.get(ref) ?? []);
    const sources = [...new Map(cited.map((s) => [`${s.questionId}@${s.answerVersion}`, s])).values()];
    const sourced = { sources, unsupported: sources.length === 0 };
    const text = cleanBlockText(block.text ?? '');
    if (block.type === 'list') {
      const items = (block.items ?? []).map(cleanBlockText).filter(Boolean);
      if (items.length > 0) blocks.push({ type: 'list', ordered: false, items, ...sourced });
    } else if (!text) {
      continue;
    } else if (block.type === 'heading') {
      blocks.push({ type: 'heading', level: block.level === 3 ? 3 : 2, text });
    } else {
      blocks.push({ type: block.type, text, ...sourced });
    }
  }
  return blocks;
}


/** Splits `items` into `parts` groups of near-equal size, keeping order. */
function chunk<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, i) => items.slice(Math.floor((i * items.length) / parts), Math.floor(((i + 1) * items.length) / parts)));
}

/** One section: too short → one extension attempt; truncated → split in two once, else AI_TRUNCATED. */
async function writeSection(input: DraftInput, byRef: Map<string, Source>, run: (input: DraftInput) => Promise<{ output: DraftOutput; generatedBy: GeneratedBy }>, depth = 0): Promise<{ blocks: Block[]; generatedBy: GeneratedBy }> {
  try {
    const first = await run(input);
    let blocks = toBlocks(first.output, byRef);
    if (!first.generatedBy.offline && wordsOf(blocks) < input.section.words * SHORT_RATIO) {
      const longer = await run({ ...input, minimumWords: Math.round(input.section.words * 0.9) });
      const extended = toBlocks(longer.output, byRef);
      if (wordsOf(extended) > wordsOf(blocks)) blocks = extended;
    }
    return { blocks, generatedBy: first.generatedBy };
  } catch (error) {
    if (!(error instanceof TruncatedError) || depth > 0 || input.section.words < 200) throw error;
    const halves = chunk(input.focus, 2);
    const words = Math.ceil(input.section.words / 2);
    const parts = [];
    for (const focus of halves) parts.push(await writeSection({ ...input, focus, section: { ...input.section, words } }, byRef, run, depth + 1));
    return { blocks: parts.flatMap((p) => p.blocks), generatedBy: parts[0]!.generatedBy };
  }
}

/** The params of a draft; a quote without them prices the default (a professional chapter of 1 500 words). */
const DraftParamsSchema = GenerateDraftBodySchema.extend({
  style: GenerateDraftBodySchema.shape.style.default('professional'),
  targetWords: GenerateDraftBodySchema.shape.targetWords.default(1_500),
}).transform((body) => ({ style: body.style, targetWords: body.targetWords, fresh: body.fresh ?? false }));

/** A chapter drafted section by section from the author's answers, with provenance and a length contract. */
export function draftGenerate({ store, books, chapters, ai, clock }: OperationDeps): AiOperation<{ style: DraftInput['style']; targetWords: number; fresh: boolean }> {
  return {
    params: DraftParamsSchema,
    async plan(user, target, params) {
      const { bookId } = target;
      const chapterId = chapterOf(target);
      const book = await books.requireBook(user.id, bookId);
      const chapter = await chapters.requireChapter(user.id, bookId, chapterId);
      const { refs, byRef } = answerRefs(await questionsWithAnswers(store, bookId, chapterId));
      if (refs.length === 0) throw new AppError('VALIDATION', 'This chapter has no answers yet; answer some of its questions first.');
      // Template mode (no AI model) applies no length, so it composes one section: every repeat merges within it.
      const sectionCount = ai.provider.offline ? 1 : Math.max(1, Math.min(refs.length, Math.ceil(params.targetWords / LIMITS.draftSectionWords)));
      const groups = chunk(refs.map((r) => r.ref), sectionCount);
      const bookContext = await bookContextFor(store, book, chapter, refs.map((r) => `${r.question}\n${r.answer}`).join('\n'));
      // Locked continuity notes add one call: the finished draft is checked against them.
      const checks = (await store.continuity.list(bookId)).some((note) => note.locked) ? 1 : 0;
      const inputs: DraftInput[] = groups.map((focus, index) => ({
        brief: briefOf(book), chapter: { title: chapter.title, description: chapter.description }, style: params.style,
        section: { index, count: sectionCount, words: Math.ceil(params.targetWords / sectionCount) },
        answers: refs.map(({ ref, question, answer }) => ({ ref, question, answer })), focus, previousHeadings: [], minimumWords: null,
        standingInstructions: book.standingInstructions, book: bookContext,
      }));
      return {
        reserve: () => reservationFor(ai, draftSectionTask, inputs[0]!, { userId: user.id, fresh: params.fresh, calls: sectionCount * 2 + checks }),
        work: async (ctx) => {
          const blocks: Block[] = [];
          let generatedBy: GeneratedBy | null = null;
          for (const [index, base] of inputs.entries()) {
            await ctx.progress(5 + (index / inputs.length) * 85, `writing section ${index + 1} of ${inputs.length}`);
            const previousHeadings = blocks.filter((b) => b.type === 'heading').map((b) => b.text);
            // Blocks are shown as the model writes them, after those of the sections before (answer refs left out).
            const offset = blocks.length;
            const onItem = (at: number, item: unknown) => {
              const { sources: _refs, ...block } = item as { sources: unknown };
              ctx.item(offset + at, block);
            };
            const section = await writeSection({ ...base, previousHeadings }, byRef, (input) =>
              ai.run(draftSectionTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh: params.fresh, signal: ctx.signal, onItem }),
            );
            blocks.push(...section.blocks);
            generatedBy ??= section.generatedBy;
          }
          const checked = await continuityCheckInput(store, book, blocks);
          let flags: DraftRecord['continuityFlags'] = [];
          if (checked) {
            await ctx.progress(92, 'checking the draft against the locked continuity notes');
            flags = await continuityFlags(ai, checked, blocks, { userId: user.id, bookId, jobId: ctx.jobId, fresh: params.fresh, signal: ctx.signal });
          }
          await ctx.progress(95, 'saving the draft');
          const draft = await addNextDraft(store, {
            id: newId('draft'), bookId, chapterId, style: params.style,
            targetWords: params.targetWords, words: wordsOf(blocks), blocks, continuityFlags: flags, generatedBy: generatedBy!,
            basedOnDraftId: null, change: null, acceptedAt: null, createdAt: isoNow(clock),
          }, LIMITS.draftsPerChapter);
          return {
            draftId: draft.id, words: draft.words, targetWords: params.targetWords, unsupportedBlocks: presentDraft(draft).unsupportedBlocks,
            continuityFlags: flags.length,
          };
        },
      };
    },
  };
}
