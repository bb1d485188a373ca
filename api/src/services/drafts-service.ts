import { blockText, cleanBlockText, type Block } from '../../../shared/blocks.js';
import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import type { GeneratedBy } from '../../../shared/schemas/ai.js';
import { countWords } from '../../../shared/text-count.js';
import { TruncatedError, type AiGateway } from '../ai/ai-gateway.js';
import { draftSectionTask, type DraftInput, type DraftOutput } from '../ai/tasks/draft-task.js';
import { AppError, notFound } from '../lib/app-error.js';
import { presentDraft } from '../lib/authoring-presenters.js';
import { decodeCursor, toPage } from '../lib/paging.js';
import type { DraftRecord } from '../stores/engine-types.js';
import type { Store, UserRecord } from '../stores/types.js';
import { launchJob, reservationFor, type JobPlan, type LaunchMode } from './ai-jobs.js';
import { answerRefs, briefOf, withAnswers } from './authoring-context.js';
import type { BooksService } from './books-service.js';
import type { ChaptersService } from './chapters-service.js';
import { isoNow, type Clock } from './clock.js';
import type { JobsService } from './jobs-service.js';

type Source = { questionId: string; answerVersion: number };
type DraftParams = { style: DraftInput['style']; targetWords: number; fresh: boolean };
const SHORT_RATIO = 0.6;

/** Model blocks → stored blocks: text cleaned, refs mapped to answer sources, unsourced blocks flagged. */
export function toBlocks(output: DraftOutput, byRef: Map<string, Source>): Block[] {
  const blocks: Block[] = [];
  for (const block of output.blocks) {
    const sources = [...new Set(block.sources)].map((ref) => byRef.get(ref)).filter((s): s is Source => s !== undefined);
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

const wordsOf = (blocks: Block[]) => blocks.reduce((sum, block) => sum + countWords(blockText(block)), 0);

/** Splits `items` into `parts` groups of near-equal size, keeping order. */
function chunk<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, i) => items.slice(Math.floor((i * items.length) / parts), Math.floor(((i + 1) * items.length) / parts)));
}

/** Tries at marking a chapter drafted when concurrent edits keep changing its version. */
const STATUS_ATTEMPTS = 3;

/** Chapter drafts: generated section by section from the answers, with provenance and a length contract. */
export function createDraftsService(deps: {
  store: Store; books: BooksService; chapters: ChaptersService; jobs: JobsService; ai: AiGateway; clock: Clock;
}) {
  const { store, books, chapters, jobs, ai, clock } = deps;

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

  async function plan(user: UserRecord, bookId: string, chapterId: string, params: DraftParams): Promise<JobPlan> {
    const book = await books.requireBook(user.id, bookId);
    const chapter = await chapters.requireChapter(user.id, bookId, chapterId);
    const questions = await store.questions.list(bookId, chapterId);
    const { refs, byRef } = answerRefs(withAnswers(questions, await store.answers.listByQuestions(questions.map((q) => q.id))));
    if (refs.length === 0) throw new AppError('VALIDATION', 'This chapter has no answers yet; answer some of its questions first.');
    // Template mode (no AI model) applies no length, so it composes one section: every repeat merges within it.
    const sectionCount = ai.provider.offline ? 1 : Math.max(1, Math.min(refs.length, Math.ceil(params.targetWords / LIMITS.draftSectionWords)));
    const groups = chunk(refs.map((r) => r.ref), sectionCount);
    const inputs: DraftInput[] = groups.map((focus, index) => ({
      brief: briefOf(book), chapter: { title: chapter.title, description: chapter.description }, style: params.style,
      section: { index, count: sectionCount, words: Math.ceil(params.targetWords / sectionCount) },
      answers: refs.map(({ ref, question, answer }) => ({ ref, question, answer })), focus, previousHeadings: [], minimumWords: null,
      standingInstructions: book.standingInstructions,
    }));
    return {
      reserve: () => reservationFor(ai, draftSectionTask, inputs[0]!, { userId: user.id, fresh: params.fresh, calls: sectionCount * 2 }),
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
        await ctx.progress(95, 'saving the draft');
        const draft: DraftRecord = {
          id: newId('draft'), bookId, chapterId, number: ((await store.drafts.list(chapterId, 1, null))[0]?.number ?? 0) + 1, style: params.style,
          targetWords: params.targetWords, words: wordsOf(blocks), blocks, generatedBy: generatedBy!, acceptedAt: null, createdAt: isoNow(clock),
        };
        await store.drafts.create(draft, LIMITS.draftsPerChapter);
        return { draftId: draft.id, words: draft.words, targetWords: params.targetWords, unsupportedBlocks: presentDraft(draft).unsupportedBlocks };
      },
    };
  }

  jobs.handle('draft.generate', async (user, job) => (await plan(user, job.bookId, job.targetId, job.params as DraftParams)).work);

  return {
    generate: (user: UserRecord, bookId: string, chapterId: string, params: DraftParams, mode: LaunchMode = 'start') =>
      plan(user, bookId, chapterId, params).then((planned) =>
        launchJob(jobs, mode, { user, kind: 'draft.generate', bookId, chapterId, targetId: chapterId, params }, planned)),

    async list(userId: string, bookId: string, chapterId: string, query: { limit?: number; cursor?: string }) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const limit = query.limit ?? LIMITS.pageLimitDefault;
      return toPage(await store.drafts.list(chapterId, limit + 1, decodeCursor(query.cursor)), limit, presentDraft);
    },

    async get(userId: string, bookId: string, chapterId: string, draftId: string) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const draft = await store.drafts.get(chapterId, draftId);
      if (!draft) throw notFound('draft');
      return presentDraft(draft);
    },

    /** Makes the draft the chapter's accepted text and marks the chapter drafted. */
    async accept(userId: string, bookId: string, chapterId: string, draftId: string) {
      let chapter = await chapters.requireChapter(userId, bookId, chapterId);
      const draft = await store.drafts.accept(chapterId, draftId, isoNow(clock));
      if (!draft) throw notFound('draft');
      // Compare-and-swap on the version read: a status the author set meanwhile wins, and is never overwritten.
      for (let attempt = 0; attempt < STATUS_ATTEMPTS && (chapter.status === 'planned' || chapter.status === 'writing'); attempt++) {
        const result = await store.chapters.update(bookId, chapterId, { status: 'drafted' }, { expectedVersion: chapter.version, bumpToc: false, at: isoNow(clock) });
        if (result.ok || result.reason === 'missing') break;
        chapter = result.current;
      }
      return presentDraft(draft);
    },
  };
}
