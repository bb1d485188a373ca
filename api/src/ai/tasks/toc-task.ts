import { z } from 'zod';
import type { AiTask } from '../llm.js';
import { offlineTocOutline } from '../offline/toc-outline.js';
import { BriefSchema, charsOf, dataBlock, systemPrompt } from './common.js';

const SectionOut = z.object({ ref: z.string().nullable(), title: z.string().min(1).max(300), description: z.string().max(1_000).nullable() });
const ChapterOut = SectionOut.extend({ sections: z.array(SectionOut).max(12) });
export const TocOutputSchema = z.object({ chapters: z.array(ChapterOut).min(1).max(40) });
export type TocOutput = z.infer<typeof TocOutputSchema>;

export const TocInputSchema = z.object({
  brief: BriefSchema,
  interview: z.array(z.object({ question: z.string(), answer: z.string() })),
  /** Existing chapters by positional ref (C1, C2, …); hasMaterial marks ones that must be kept. */
  existing: z.array(
    z.object({ ref: z.string(), parentRef: z.string().nullable(), title: z.string(), description: z.string().nullable(), hasMaterial: z.boolean() }),
  ),
});
export type TocInput = z.infer<typeof TocInputSchema>;

/** Template mode keeps the existing chapters as they are, or outlines a new book from its material. */
function offlineToc(input: TocInput): TocOutput {
  if (input.existing.length === 0) return offlineTocOutline(input);
  const entry = (c: TocInput['existing'][number]) => ({ ref: c.ref, title: c.title, description: c.description });
  return {
    chapters: input.existing
      .filter((c) => c.parentRef === null)
      .map((c) => ({ ...entry(c), sections: input.existing.filter((s) => s.parentRef === c.ref).map(entry) })),
  };
}

/** TOC proposal: chapters (and optional sections), each with a one-line purpose; existing ones by ref. */
export const tocTask: AiTask<TocInput, TocOutput> = {
  operation: 'toc.generate',
  name: 'toc_proposal',
  promptVersion: 'toc.v2',
  outputSchema: TocOutputSchema,
  maxOutputTokens: () => 3_000,
  messages: (input) => ({
    system: systemPrompt(
      'You are a book development editor proposing a table of contents.',
      [
        'Propose chapters in reading order, each with a one-line description of its purpose, and optional sections.',
        'Existing chapters are given with refs (C1, C2, …); sections name their chapter in parentRef. To keep one, put its ref in "ref"; new chapters have ref null.',
        'Keep every existing chapter whose hasMaterial is true.',
      ],
      input.brief.language,
    ),
    user: [dataBlock('brief', input.brief), dataBlock('interview', input.interview), dataBlock('existing_chapters', input.existing)].join('\n'),
  }),
  offline: offlineToc,
  // Only a new book's outline is analysed; existing chapters are copied as they are.
  offlineTextChars: (input) => (input.existing.length > 0 ? 0 : charsOf([input.brief.summary, ...input.interview.map((qa) => qa.answer)])),
  stream: { key: 'chapters', item: ChapterOut },
};
