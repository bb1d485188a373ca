import { z } from 'zod';
import { LENSES } from '../../../../shared/schemas/authoring.js';
import type { AiTask } from '../llm.js';
import { offlineFollowUp } from '../offline/follow-up.js';
import { BriefSchema, charsOf, dataBlock, systemPrompt } from './common.js';

const FollowUpOutSchema = z.object({
  text: z.string().min(5).max(600),
  helpText: z.string().max(600).nullable(),
  lens: z.enum(LENSES),
  suggestedWords: z.number().int().min(20).max(2_000),
});
/** A follow-up question, or null with the reason when the answer needs none. */
export const FollowUpOutputSchema = z.object({ followUp: FollowUpOutSchema.nullable(), reason: z.string().max(500).nullable() });
export type FollowUpOutput = z.infer<typeof FollowUpOutputSchema>;

export const FollowUpInputSchema = z.object({
  brief: BriefSchema,
  /** The chapter the question belongs to; null for a question of the kick-off interview (about the whole book). */
  chapter: z.object({ title: z.string(), description: z.string().nullable() }).nullable(),
  question: z.object({ text: z.string(), helpText: z.string().nullable(), lens: z.enum(LENSES).nullable() }),
  answer: z.string(),
  /** The chapter's (or the interview's) other questions: the follow-up must not repeat them. */
  otherQuestions: z.array(z.string()),
});
export type FollowUpInput = z.infer<typeof FollowUpInputSchema>;

/**
 * One follow-up question grounded in the author's final answer (the model may decline when nothing is left open), for a
 * chapter question or, with `chapter` null, a kick-off interview question about the whole book.
 */
export const followUpTask: AiTask<FollowUpInput, FollowUpOutput> = {
  operation: 'question.followup',
  name: 'question_followup',
  promptVersion: 'followup.v1',
  outputSchema: FollowUpOutputSchema,
  maxOutputTokens: () => 500,
  messages: (input) => ({
    system: systemPrompt(
      'You are a book development editor interviewing an author. Read one answer and ask the single best follow-up question.',
      [
        'Ground the follow-up in the answer: pick what it raised but left unexplained (a name without a story, a claim without an example, a moment without its outcome) and ask about exactly that.',
        'Give it a helpText (what a good answer contains), a lens (reader, sceptic, practitioner or editor) and suggestedWords.',
        'Do not repeat or rephrase the other questions.',
        'When the answer already leaves nothing important open, return followUp null and say why in reason.',
        // Said only for the kick-off interview, so a chapter follow-up's prompt (and its cached answers) stay as they were.
        ...(input.chapter ? [] : ['This is the kick-off interview about the whole book (no chapter yet): ask about the book — its reader, promise, scope, structure or voice.']),
      ],
      input.brief.language,
    ),
    user: [
      dataBlock('brief', input.brief), ...(input.chapter ? [dataBlock('chapter', input.chapter)] : []), dataBlock('question', input.question),
      dataBlock('answer', input.answer), dataBlock('other_questions', input.otherQuestions),
    ].join('\n'),
  }),
  offline: offlineFollowUp,
  offlineTextChars: (input) => charsOf([input.answer]),
};

/** The same prompt for a kick-off interview question (`chapter` null), metered as its own operation. */
export const interviewFollowUpTask: AiTask<FollowUpInput, FollowUpOutput> = { ...followUpTask, operation: 'interview.followup', name: 'interview_followup' };
