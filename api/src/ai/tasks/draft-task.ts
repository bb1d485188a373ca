import { z } from 'zod';
import { DRAFT_STYLES } from '../../../../shared/schemas/authoring.js';
import type { AiTask } from '../llm.js';
import { composeOfflineSection } from '../offline/draft-composer.js';
import { BriefSchema, charsOf, dataBlock, systemPrompt } from './common.js';

/** Model-output block: every field present, unused ones null (structured-output rules). */
export const DraftBlockOutSchema = z.object({
  type: z.enum(['heading', 'paragraph', 'list', 'quote']),
  level: z.number().int().min(2).max(3).nullable(),
  text: z.string().max(20_000).nullable(),
  items: z.array(z.string().max(2_000)).nullable(),
  /** Refs (A1, A2, …) of the answers this block draws on; empty when none. */
  sources: z.array(z.string()),
});
export const DraftOutputSchema = z.object({ blocks: z.array(DraftBlockOutSchema).min(1).max(200) });
export type DraftOutput = z.infer<typeof DraftOutputSchema>;

export const DraftInputSchema = z.object({
  brief: BriefSchema,
  chapter: z.object({ title: z.string(), description: z.string().nullable() }),
  style: z.enum(DRAFT_STYLES),
  section: z.object({ index: z.number().int(), count: z.number().int(), words: z.number().int() }),
  /** Answers by positional ref; the section draws on those listed in `focus` first. */
  answers: z.array(z.object({ ref: z.string(), question: z.string(), answer: z.string() })),
  focus: z.array(z.string()),
  previousHeadings: z.array(z.string()),
  /** Set on the second try when the first came out too short. */
  minimumWords: z.number().int().nullable(),
  /** The book's standing instructions from the author (null: none). */
  standingInstructions: z.string().nullable(),
  /** What the book knows: recaps of the earlier chapters, the continuity notes relevant here, the author's voice sample. */
  book: z.object({
    previously: z.array(z.object({ chapter: z.string(), recap: z.string() })),
    continuity: z.array(z.object({ kind: z.string(), subject: z.string(), detail: z.string(), locked: z.boolean() })),
    voiceSample: z.string().nullable(),
  }),
});
export type DraftInput = z.infer<typeof DraftInputSchema>;

const STYLE_NOTES: Record<(typeof DRAFT_STYLES)[number], string> = {
  professional: 'clear, confident and precise, for a professional reader',
  conversational: 'warm and direct, as if talking to one reader, contractions welcome',
  academic: 'careful and formal, claims qualified, reasoning explicit',
  creative: 'vivid and narrative, scenes and images where the material allows',
  technical: 'exact and structured, steps and definitions made explicit',
};

/** The rules for what the book already holds; each appears only when its data does. */
function bookRules(book: DraftInput['book']): string[] {
  return [
    book.previously.length > 0
      ? '"previously" recaps the earlier chapters: stay consistent with them and build on them, but do not retell them.'
      : null,
    book.continuity.length > 0
      ? '"continuity" lists facts the book has established: keep names, terms, dates and numbers exactly as given, and never contradict a locked one.'
      : null,
    book.voiceSample
      ? '"voice_sample" is a passage the author wrote, given only as a style reference: match its voice, rhythm and vocabulary. It is never material: use none of its facts, names, events or sentences.'
      : null,
  ].filter((rule): rule is string => rule !== null);
}

function bookData(book: DraftInput['book']): string[] {
  return [
    book.previously.length > 0 ? dataBlock('previously', book.previously) : null,
    book.continuity.length > 0 ? dataBlock('continuity', book.continuity) : null,
    book.voiceSample ? dataBlock('voice_sample', book.voiceSample) : null,
  ].filter((block): block is string => block !== null);
}

/** One section of a chapter draft, composed from the author's answers with per-block source refs. */
export const draftSectionTask: AiTask<DraftInput, DraftOutput> = {
  operation: 'draft.generate',
  name: 'chapter_draft_section',
  promptVersion: 'draft.v2',
  outputSchema: DraftOutputSchema,
  maxOutputTokens: (input) => Math.ceil(Math.max(input.section.words, input.minimumWords ?? 0) * 1.8) + 600,
  messages: (input) => ({
    system: systemPrompt(
      'You are a ghostwriter drafting a book chapter strictly from the author\'s own answers.',
      [
        `Write section ${input.section.index + 1} of ${input.section.count} of the chapter, about ${input.section.words} words${input.minimumWords ? ` and no fewer than ${input.minimumWords}` : ''}.`,
        `Style: ${STYLE_NOTES[input.style]}.`,
        'Return blocks: heading (level 2 or 3), paragraph, list (items) or quote. Put in "sources" the refs (A1, A2, …) of every answer a block uses.',
        'Use only facts, stories and claims found in the answers; a block that uses none gets empty sources. Never invent facts, names or numbers.',
        'Do not repeat the previous headings.',
        ...bookRules(input.book),
      ],
      input.brief.language,
      input.standingInstructions,
    ),
    user: [
      dataBlock('brief', input.brief), dataBlock('chapter', input.chapter), dataBlock('answers', input.answers),
      dataBlock('focus_refs', input.focus), dataBlock('previous_headings', input.previousHeadings), ...bookData(input.book),
    ].join('\n'),
  }),
  offline: composeOfflineSection,
  offlineTextChars: (input) => charsOf(input.answers.filter((a) => input.focus.includes(a.ref)).map((a) => a.answer)),
  stream: { key: 'blocks', item: DraftBlockOutSchema },
};
