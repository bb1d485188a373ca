import { z } from 'zod';
import { PASSAGE_ACTIONS, type PassageAction } from '../../../../shared/schemas/passages.js';
import type { AiTask } from '../llm.js';
import { passageTemplate } from '../offline/passage-template.js';
import { BriefSchema, dataBlock, systemPrompt } from './common.js';

/** The model's answer: the new paragraphs, plain text each (no markup, no headings). */
export const PassageOutputSchema = z.object({ paragraphs: z.array(z.string().max(20_000)).max(60) });
export type PassageOutput = z.infer<typeof PassageOutputSchema>;

export const PassageInputSchema = z.object({
  brief: BriefSchema,
  action: z.enum(PASSAGE_ACTIONS),
  /** The selected passage, one string per paragraph. */
  passage: z.array(z.string()),
  standingInstructions: z.string().nullable(),
});
export type PassageInput = z.infer<typeof PassageInputSchema>;

const ASKS: Record<PassageAction, string> = {
  rewrite: 'Rewrite the passage: the same meaning, facts and length, said more clearly and in the voice of the book. Return the rewritten passage.',
  expand: 'Expand the passage to about twice its length, developing what it already says (its reasoning, examples it names, transitions); add no new facts, names or numbers. Return the whole expanded passage.',
  shorten: 'Shorten the passage to about half its length, keeping its point, its facts and the author\'s voice. Return the shortened passage.',
  continue: 'Continue the text from where the passage ends, in the same voice, for about as long as the passage; do not repeat it and add no new facts, names or numbers. Return only the continuation.',
};

/** Rewrite, expand, shorten or continue a passage the author selected in the document. */
export const passageTask: AiTask<PassageInput, PassageOutput> = {
  operation: 'passage.rework',
  name: 'passage_rework',
  promptVersion: 'passage.v1',
  outputSchema: PassageOutputSchema,
  maxOutputTokens: (input) => Math.ceil(input.passage.join('\n').length / 4) * (input.action === 'expand' ? 3 : 2) + 300,
  messages: (input) => ({
    system: systemPrompt(
      'You are an editor working on a passage of the author\'s own book.',
      [ASKS[input.action], 'Answer with "paragraphs": plain text, one string per paragraph, no headings, lists or markup.'],
      input.brief.language,
      input.standingInstructions,
    ),
    user: [dataBlock('brief', input.brief), dataBlock('passage', input.passage)].join('\n'),
  }),
  offline: passageTemplate,
  stream: { key: 'paragraphs', item: z.string() },
};
