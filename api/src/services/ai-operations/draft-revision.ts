import { z } from 'zod';
import type { Block } from '../../../../shared/blocks.js';
import { blockIdOf } from '../../../../shared/draft-versions.js';
import type { GeneratedBy } from '../../../../shared/schemas/ai.js';
import { LIMITS } from '../../../../shared/limits.js';
import { BlockIdSchema, ReviseDraftBodySchema, ReworkBlockBodySchema, type DraftChange, type ReworkAction } from '../../../../shared/schemas/authoring.js';
import type { AiTask } from '../../ai/llm.js';
import {
  ACTION_INSTRUCTIONS, blockReworkTask, blocksRevisionTask, draftRevisionTask, type BlockRevisionOutput, type DraftRevisionOutput,
  type RevisionBlock, type RevisionInput,
} from '../../ai/tasks/revision-task.js';
import { AppError } from '../../lib/app-error.js';
import { presentDraft } from '../../lib/authoring-presenters.js';
import type { DraftRecord } from '../../stores/engine-types.js';
import type { UserRecord } from '../../stores/types.js';
import { answerRefs, briefOf, questionsWithAnswers } from '../authoring-context.js';
import { rewrittenBlockFlags } from '../book-memory.js';
import { requireBlock, requireDraft, saveVersion, type VersionBlocks } from '../draft-versions.js';
import type { JobContext } from '../job-execution.js';
import { toBlocks } from './draft-generate.js';
import { chapterOf, reservationFor, type AiOperation, type JobPlan, type OperationDeps, type OperationTarget } from './operation.js';
import { TEMPLATE_MODE_SENTENCE } from '../../../../shared/template-mode.js';

type BlockSource = { questionId: string; answerVersion: number };

/** Refs the model may cite: answers (A1…) and the earlier blocks (B1…), each standing for its sources. */
type SourceRefs = Map<string, BlockSource | readonly BlockSource[]>;

/** A stored block as the model sees it: by its ref, citing answers by theirs. */
function asRevisionBlock(block: Block, index: number, refOfQuestion: Map<string, string>): RevisionBlock {
  const base = { ref: blockIdOf(index), type: block.type, level: null, text: null, items: null, sources: [] as string[] };
  if (block.type === 'heading') return { ...base, level: block.level, text: block.text };
  const sources = block.sources.map((s) => refOfQuestion.get(s.questionId)).filter((ref): ref is string => ref !== undefined);
  return block.type === 'list' ? { ...base, items: block.items, sources } : { ...base, text: block.text, sources };
}

/** The previous version, the chapter's answers and the author's request, as the revision prompt's input. */
async function revisionInput(deps: OperationDeps, user: UserRecord, target: OperationTarget, ask: { draftId: string; instruction: string; selected: string[]; action: ReworkAction | null }) {
  const { bookId } = target;
  const chapterId = chapterOf(target);
  const book = await deps.books.requireBook(user.id, bookId);
  const previous = await requireDraft(deps, user.id, bookId, chapterId, ask.draftId);
  const chapter = await deps.chapters.requireChapter(user.id, bookId, chapterId);
  for (const id of ask.selected) requireBlock(previous, id);
  const { refs, byRef } = answerRefs(await questionsWithAnswers(deps.store, bookId, chapterId));
  const refOfQuestion = new Map(refs.map((r) => [r.source.questionId, r.ref]));
  const sourceRefs: SourceRefs = new Map<string, BlockSource | readonly BlockSource[]>(byRef);
  previous.blocks.forEach((block, i) => sourceRefs.set(blockIdOf(i), block.type === 'heading' ? [] : block.sources));
  const input: RevisionInput = {
    brief: briefOf(book), chapter: { title: chapter.title, description: chapter.description }, style: previous.style,
    answers: refs.map(({ ref, question, answer }) => ({ ref, question, answer })),
    draft: previous.blocks.map((block, i) => asRevisionBlock(block, i, refOfQuestion)),
    instruction: ask.instruction, selected: ask.selected, action: ask.action, standingInstructions: book.standingInstructions,
  };
  return { book, previous, input, sourceRefs };
}

/** The whole revised draft: `keep` refs copy the earlier block as it is (byte for byte), written blocks are new. */
function wholeRevision(output: DraftRevisionOutput, previous: DraftRecord, sourceRefs: SourceRefs): VersionBlocks {
  const made: VersionBlocks = { blocks: [], keptFrom: [] };
  for (const out of output.blocks) {
    const kept = out.keep === null ? null : previous.blocks.findIndex((_, i) => blockIdOf(i) === out.keep);
    if (kept !== null && kept >= 0) {
      made.blocks.push(previous.blocks[kept]!);
      made.keptFrom.push(kept);
    } else if (kept === null) {
      for (const block of toBlocks({ blocks: [out] }, sourceRefs)) {
        made.blocks.push(block);
        made.keptFrom.push(null);
      }
    }
  }
  return made;
}

/** Only the selected blocks change, each into its replacement; every other block is the earlier one, untouched. */
function selectedRevision(output: BlockRevisionOutput, previous: DraftRecord, selected: string[], sourceRefs: SourceRefs): VersionBlocks {
  const made: VersionBlocks = { blocks: [], keptFrom: [] };
  previous.blocks.forEach((block, i) => {
    const replacement = selected.includes(blockIdOf(i)) ? output.replacements.find((r) => r.ref === blockIdOf(i)) : undefined;
    const blocks = replacement ? toBlocks({ blocks: replacement.blocks }, sourceRefs) : [];
    if (blocks.length === 0) {
      made.blocks.push(block);
      made.keptFrom.push(i);
      return;
    }
    made.blocks.push(...blocks);
    made.keptFrom.push(...blocks.map(() => null));
  });
  return made;
}

/**
 * Plans a revision: the input, its reservation (free in template mode or from the cache), and the work that asks
 * the model, assembles the new version and saves it. Template mode's answer is computed at once, so a request it
 * cannot follow is refused before any job starts (and the quote says why).
 */
async function planRevision<O>(
  deps: OperationDeps, user: UserRecord, target: OperationTarget,
  ask: { draftId: string; instruction: string; selected: string[]; action: ReworkAction | null; fresh: boolean; change: DraftChange },
  task: AiTask<RevisionInput, O>, assemble: (output: O, previous: DraftRecord, sourceRefs: SourceRefs) => VersionBlocks,
  show?: (ctx: JobContext, previous: DraftRecord) => (index: number, item: unknown) => void,
): Promise<JobPlan> {
  const { ai } = deps;
  const { book, previous, input, sourceRefs } = await revisionInput(deps, user, target, ask);
  // With locked continuity notes, the new version's rewritten blocks are checked against them (one more call).
  const checks = (await deps.store.continuity.list(target.bookId)).some((note) => note.locked) ? 1 : 0;
  const unchanged = (made: VersionBlocks) => made.blocks.length === 0 || JSON.stringify(made.blocks) === JSON.stringify(previous.blocks);
  // Template mode is deterministic: what it cannot do (or would leave as it is) is refused now, before any job.
  if (ai.provider.offline && unchanged(assemble(await ai.templateAnswer(task, input), previous, sourceRefs))) {
    throw new AppError('VALIDATION', `${TEMPLATE_MODE_SENTENCE} would leave this as it is: it already reads as your answers say. An AI model can rework it.`);
  }
  return {
    reserve: () => reservationFor(ai, task, input, { userId: user.id, fresh: ask.fresh, calls: 1 + checks }),
    work: async (ctx) => {
      await ctx.progress(10, 'asking the model');
      const run = await ai.run(task, input, {
        userId: user.id, bookId: target.bookId, jobId: ctx.jobId, fresh: ask.fresh, signal: ctx.signal, onItem: show?.(ctx, previous),
      });
      const made = assemble(run.output, previous, sourceRefs);
      // An answer that changes nothing (or keeps nothing it named) is no new version: nothing is saved.
      if (unchanged(made)) {
        throw new AppError('AI_INVALID_OUTPUT', 'The revision came back with nothing changed, so no new version was saved. Try other words.');
      }
      const flags = await rewrittenBlockFlags(ai, deps.store, book, made, { userId: user.id, bookId: target.bookId, jobId: ctx.jobId, fresh: ask.fresh, signal: ctx.signal });
      await ctx.progress(95, 'saving the new version');
      const draft = await saveVersion(deps, previous, { ...made, change: ask.change, generatedBy: run.generatedBy as GeneratedBy, flags });
      return {
        draftId: draft.id, basedOnDraftId: previous.id, words: draft.words, unsupportedBlocks: presentDraft(draft).unsupportedBlocks,
        changedBlocks: made.keptFrom.filter((from) => from === null).length,
      };
    },
  };
}

/** Shows the revised draft as it is written: a kept block as the earlier one, a written block as written. */
const showRevision = (ctx: JobContext, previous: DraftRecord) => (index: number, item: unknown) => {
  const { keep, sources: _refs, ...written } = item as { keep: string | null; sources: unknown };
  const kept = previous.blocks.findIndex((_, i) => blockIdOf(i) === keep);
  ctx.item(index, kept >= 0 ? asRevisionBlock(previous.blocks[kept]!, kept, new Map()) : written);
};

const withDraftId = { draftId: z.string().max(100) };

/** `draft.revise`: a new version made from a draft and the author's instruction (the whole draft, or `blockIds` only). */
export function draftRevise(deps: OperationDeps): AiOperation<{ draftId: string; instruction: string; blockIds: string[]; fresh: boolean }> {
  return {
    // The stored params are parsed again when the job runs: an empty blockIds (the whole draft) must parse too.
    params: ReviseDraftBodySchema.extend({ ...withDraftId, blockIds: z.array(BlockIdSchema).max(LIMITS.revisionBlocksMax).optional() }).transform((body) => ({
      draftId: body.draftId, instruction: body.instruction, blockIds: [...new Set(body.blockIds ?? [])], fresh: body.fresh ?? false,
    })),
    plan(user, target, params) {
      const ask = {
        draftId: params.draftId, instruction: params.instruction, selected: params.blockIds, action: null, fresh: params.fresh,
        change: { kind: 'revise' as const, instruction: params.instruction, blockIds: params.blockIds },
      };
      return params.blockIds.length > 0
        ? planRevision(deps, user, target, ask, blocksRevisionTask, (output, previous, refs) => selectedRevision(output, previous, params.blockIds, refs))
        : planRevision(deps, user, target, ask, draftRevisionTask, wholeRevision, showRevision);
    },
  };
}

/** `draft.rework`: one block regenerated, expanded, shortened or rephrased; every other block byte-identical. */
export function draftRework(deps: OperationDeps): AiOperation<{ draftId: string; blockId: string; action: ReworkAction; fresh: boolean }> {
  return {
    params: ReworkBlockBodySchema.extend(withDraftId).transform((body) => ({ draftId: body.draftId, blockId: body.blockId, action: body.action, fresh: body.fresh ?? false })),
    plan(user, target, params) {
      const ask = {
        draftId: params.draftId, instruction: ACTION_INSTRUCTIONS[params.action], selected: [params.blockId], action: params.action,
        fresh: params.fresh, change: { kind: params.action, instruction: null, blockIds: [params.blockId] },
      };
      return planRevision(deps, user, target, ask, blockReworkTask, (output, previous, refs) => selectedRevision(output, previous, [params.blockId], refs));
    },
  };
}
