import { z } from 'zod';
import { LIMITS } from '../../../../shared/limits.js';
import { CONTINUITY_KINDS } from '../../../../shared/schemas/continuity.js';
import type { AiTask } from '../llm.js';
import { offlineContinuityConflicts, offlineContinuityNotes } from '../offline/continuity-notes.js';
import { charsOf, dataBlock, systemPrompt } from './common.js';

/** A drafted block by positional ref (B1, B2, …); its text only. */
const RefBlockSchema = z.object({ ref: z.string(), text: z.string() });

const NoteOutSchema = z.object({
  kind: z.enum(CONTINUITY_KINDS),
  subject: z.string().min(1).max(LIMITS.continuitySubjectMax),
  detail: z.string().min(1).max(LIMITS.continuityDetailMax),
  /** Refs (B1, B2, …) of the blocks that establish it. */
  blocks: z.array(z.string()),
});
export const ContinuityExtractOutputSchema = z.object({ notes: z.array(NoteOutSchema).max(LIMITS.continuityNotesPerChapter) });
export type ContinuityExtractOutput = z.infer<typeof ContinuityExtractOutputSchema>;

export const ContinuityExtractInputSchema = z.object({
  language: z.string().nullable(),
  chapter: z.object({ title: z.string() }),
  blocks: z.array(RefBlockSchema),
  /** Subjects the book's notes already hold (other chapters', the author's) or the author deleted: not listed again. */
  known: z.array(z.string()),
});
export type ContinuityExtractInput = z.infer<typeof ContinuityExtractInputSchema>;

/** The facts an accepted chapter establishes, each with the blocks it comes from. */
export const continuityExtractTask: AiTask<ContinuityExtractInput, ContinuityExtractOutput> = {
  operation: 'continuity.extract',
  name: 'continuity_extract',
  promptVersion: 'continuity-extract.v1',
  outputSchema: ContinuityExtractOutputSchema,
  maxOutputTokens: () => 3_000,
  messages: (input) => ({
    system: systemPrompt(
      'You keep the continuity notes of a book: the facts its chapters establish, so later chapters stay consistent.',
      [
        `List the facts this chapter establishes: people (who they are), places, terms and their definitions, dates, numbers, and promises made to the reader. At most ${LIMITS.continuityNotesPerChapter}.`,
        'Each note has a kind, a short subject (the name, term, date or promise) and a detail (what the chapter says about it, one or two sentences), and the refs (B1, B2, …) of the blocks that establish it.',
        'Only facts stated in the blocks; never infer or add. Skip subjects listed as known.',
      ],
      input.language,
    ),
    user: [dataBlock('chapter', input.chapter), dataBlock('blocks', input.blocks), dataBlock('known', input.known)].join('\n'),
  }),
  offline: offlineContinuityNotes,
  offlineTextChars: (input) => charsOf(input.blocks.map((block) => block.text)),
};

const ConflictOutSchema = z.object({ block: z.string(), note: z.string(), explanation: z.string().min(1).max(500) });
export const ContinuityCheckOutputSchema = z.object({ conflicts: z.array(ConflictOutSchema).max(100) });
export type ContinuityCheckOutput = z.infer<typeof ContinuityCheckOutputSchema>;

export const ContinuityCheckInputSchema = z.object({
  language: z.string().nullable(),
  /** Locked notes by positional ref (N1, N2, …). */
  notes: z.array(z.object({ ref: z.string(), kind: z.enum(CONTINUITY_KINDS), subject: z.string(), detail: z.string() })),
  blocks: z.array(RefBlockSchema),
});
export type ContinuityCheckInput = z.infer<typeof ContinuityCheckInputSchema>;

/** Which blocks of a new draft contradict the book's locked notes (reported, never corrected). Metered with the draft. */
export const continuityCheckTask: AiTask<ContinuityCheckInput, ContinuityCheckOutput> = {
  operation: 'draft.generate',
  name: 'continuity_check',
  promptVersion: 'continuity-check.v1',
  outputSchema: ContinuityCheckOutputSchema,
  maxOutputTokens: () => 1_500,
  messages: (input) => ({
    system: systemPrompt(
      'You check a new chapter draft against the facts the author has locked for the book.',
      [
        'Report every block that contradicts a note: a different name, age, date, number, definition, or a broken promise. A block that merely adds detail does not contradict.',
        'For each, give the block ref (B1, …), the note ref (N1, …) and a one-sentence explanation an author understands. Report nothing else; do not rewrite anything.',
      ],
      input.language,
    ),
    user: [dataBlock('locked_notes', input.notes), dataBlock('blocks', input.blocks)].join('\n'),
  }),
  offline: offlineContinuityConflicts,
  // Each locked note's check reads every block's sentences again.
  offlineTextChars: (input) => charsOf(input.blocks.map((block) => block.text)) * input.notes.length,
};
