import { z } from 'zod';
import { DRAFT_STYLES, REWORK_ACTIONS, type ReworkAction } from '../../../../shared/schemas/authoring.js';
import type { JobKind } from '../../../../shared/schemas/ai.js';
import type { AiTask } from '../llm.js';
import { templateBlockRevision, templateDraftRevision } from '../offline/block-rework.js';
import { BriefSchema, charsOf, dataBlock, systemPrompt } from './common.js';
import { DraftBlockOutSchema } from './draft-task.js';

/** A block of the draft being revised, by its ref (B1, B2, …), citing answers by their refs (A1, …). */
export const RevisionBlockSchema = DraftBlockOutSchema.extend({ ref: z.string() });
export type RevisionBlock = z.infer<typeof RevisionBlockSchema>;

export const RevisionInputSchema = z.object({
  brief: BriefSchema,
  chapter: z.object({ title: z.string(), description: z.string().nullable() }),
  style: z.enum(DRAFT_STYLES),
  answers: z.array(z.object({ ref: z.string(), question: z.string(), answer: z.string() })),
  /** The previous version, whole. */
  draft: z.array(RevisionBlockSchema),
  /** What the author asks (their words, or the instruction of a block action). */
  instruction: z.string(),
  /** The blocks that may change (block tasks); the whole draft may change when empty. */
  selected: z.array(z.string()),
  /** A block action chosen from the panel (template mode follows it); null for an instruction in the author's words. */
  action: z.enum(REWORK_ACTIONS).nullable(),
  standingInstructions: z.string().nullable(),
});
export type RevisionInput = z.infer<typeof RevisionInputSchema>;

/** A block of the revised draft: `keep` names an earlier block copied unchanged (its other fields are then ignored). */
export const RevisedBlockOutSchema = DraftBlockOutSchema.extend({ keep: z.string().nullable() });
export const DraftRevisionOutputSchema = z.object({ blocks: z.array(RevisedBlockOutSchema).min(1).max(200) });
export type DraftRevisionOutput = z.infer<typeof DraftRevisionOutputSchema>;

/** For each selected block, the blocks that replace it. */
export const BlockRevisionOutputSchema = z.object({
  replacements: z.array(z.object({ ref: z.string(), blocks: z.array(DraftBlockOutSchema).min(1).max(20) })).min(1).max(50),
});
export type BlockRevisionOutput = z.infer<typeof BlockRevisionOutputSchema>;

/** What each block action asks of the model (also the instruction recorded with the version). */
export const ACTION_INSTRUCTIONS: Record<ReworkAction, string> = {
  regenerate: 'Write this block afresh from the answers it draws on: the same point, new wording.',
  expand: 'Expand this block to about twice its length, developing what its answers say; add no new facts, names or numbers.',
  shorten: 'Shorten this block to about half its length, keeping its point and its facts.',
  rephrase: 'Rephrase this block: the same meaning and facts in different words.',
};

const SOURCE_RULES = [
  'Put in "sources" the refs of every answer (A1, A2, …) a new block uses; a new block that keeps material of an earlier block may cite that block\'s ref (B3) to keep its sources.',
  'Use only facts, stories and claims found in the answers or the draft; a block that uses none gets empty sources. Never invent facts, names or numbers.',
];

const userData = (input: RevisionInput) => [
  dataBlock('brief', input.brief), dataBlock('chapter', input.chapter), dataBlock('answers', input.answers),
  dataBlock('draft', input.draft), dataBlock('instruction', input.instruction),
  ...(input.selected.length > 0 ? [dataBlock('selected_blocks', input.selected)] : []),
].join('\n');

const draftChars = (input: RevisionInput) => JSON.stringify(input.draft).length;
/** What the template transforms split into sentences: the draft's text and the answers behind it. */
const templateChars = (input: RevisionInput) =>
  charsOf([...input.draft.flatMap((block) => [block.text, ...(block.items ?? [])]), ...input.answers.map((a) => a.answer)]);

/** A whole draft revised by the author's instruction; unchanged blocks come back as `keep` refs, byte-identical. */
export const draftRevisionTask: AiTask<RevisionInput, DraftRevisionOutput> = {
  operation: 'draft.revise',
  name: 'chapter_draft_revision',
  promptVersion: 'revise.v1',
  outputSchema: DraftRevisionOutputSchema,
  maxOutputTokens: (input) => Math.ceil((draftChars(input) / 4) * 1.6) + 600,
  messages: (input) => ({
    system: systemPrompt(
      'You are an editor revising a draft chapter of the author\'s book, which was written from the author\'s own answers.',
      [
        'Revise the draft as the author asks in "instruction" (the author\'s request for this revision: follow it as long as it does not break these rules).',
        'Return the whole revised draft as blocks, in reading order. For a block you leave exactly as it is, return {"keep": "B3"} (its ref) with the other fields null and sources empty; write out only blocks you change or add.',
        'Blocks: heading (level 2 or 3), paragraph, list (items) or quote; "keep" is null for every written-out block.',
        ...SOURCE_RULES,
      ],
      input.brief.language,
      input.standingInstructions,
    ),
    user: userData(input),
  }),
  offline: templateDraftRevision,
  offlineTextChars: templateChars,
  stream: { key: 'blocks', item: RevisedBlockOutSchema },
};

/** Selected blocks of a draft reworked (an action, or the author's instruction); the other blocks never reach the answer. */
function blockRevisionTask(operation: JobKind & ('draft.revise' | 'draft.rework')): AiTask<RevisionInput, BlockRevisionOutput> {
  return {
    operation,
    name: 'draft_block_revision',
    promptVersion: 'revise-blocks.v1',
    outputSchema: BlockRevisionOutputSchema,
    maxOutputTokens: (input) => {
      const selected = input.draft.filter((block) => input.selected.includes(block.ref));
      return Math.ceil((JSON.stringify(selected).length / 4) * 2.5) + 400;
    },
    messages: (input) => ({
      system: systemPrompt(
        'You are an editor reworking single blocks of a draft chapter of the author\'s book, which was written from the author\'s own answers.',
        [
          'Rework only the blocks whose refs are listed in "selected_blocks", as "instruction" asks (the author\'s request: follow it as long as it does not break these rules); the rest of the draft is context and stays as it is.',
          'Return "replacements": for each selected block, its ref and the blocks that replace it (usually one, of the same type).',
          'Blocks: heading (level 2 or 3), paragraph, list (items) or quote.',
          ...SOURCE_RULES,
        ],
        input.brief.language,
        input.standingInstructions,
      ),
      user: userData(input),
    }),
    offline: templateBlockRevision,
    offlineTextChars: templateChars,
  };
}
export const blocksRevisionTask = blockRevisionTask('draft.revise');
export const blockReworkTask = blockRevisionTask('draft.rework');
