import { z } from 'zod';
import { LENSES } from '../../../../shared/schemas/authoring.js';
import type { AiTask } from '../llm.js';
import { BriefSchema, dataBlock, systemPrompt } from './common.js';
import { offlineChapterQuestions } from '../offline/question-templates.js';

const QuestionOutSchema = z.object({
  text: z.string().min(5).max(600),
  helpText: z.string().max(600).nullable(),
  lens: z.enum(LENSES),
  suggestedWords: z.number().int().min(20).max(2_000),
});
export const QuestionsOutputSchema = z.object({ questions: z.array(QuestionOutSchema).min(1).max(20) });
export type QuestionsOutput = z.infer<typeof QuestionsOutputSchema>;

export const QuestionsInputSchema = z.object({
  brief: BriefSchema,
  chapter: z.object({ title: z.string(), description: z.string().nullable() }),
  otherChapters: z.array(z.string()),
  /** Questions that stay (answered ones, or siblings of a regenerated one): do not repeat them. */
  keep: z.array(z.string()),
  count: z.number().int(),
  /** When regenerating one question: its lens and how many times it was regenerated. */
  lens: z.enum(LENSES).nullable(),
  variant: z.number().int(),
});
export type QuestionsInput = z.infer<typeof QuestionsInputSchema>;

/** Chapter interview: questions from the reader, sceptic, practitioner and editor lenses. */
export const questionsTask: AiTask<QuestionsInput, QuestionsOutput> = {
  operation: 'questions.generate',
  name: 'chapter_questions',
  promptVersion: 'questions.v1',
  outputSchema: QuestionsOutputSchema,
  maxOutputTokens: (input) => 200 + input.count * 160,
  messages: (input) => ({
    system: systemPrompt(
      'You are a book development editor interviewing an author about one chapter.',
      [
        `Write exactly ${input.count} questions that draw out the author's own material for the chapter.`,
        `Use the lenses ${LENSES.join(', ')}${input.lens ? ` (this time only the ${input.lens} lens)` : ', mixing them'}.`,
        'Each question has a helpText (what a good answer contains) and suggestedWords (a sensible answer length).',
        'Do not repeat or rephrase the questions listed as keep.',
      ],
      input.brief.language,
    ),
    user: [dataBlock('brief', input.brief), dataBlock('chapter', input.chapter), dataBlock('other_chapters', input.otherChapters), dataBlock('keep', input.keep)].join('\n'),
  }),
  offline: (input) => ({ questions: offlineChapterQuestions(input) }),
  stream: { key: 'questions', item: QuestionOutSchema },
};

/** The same prompt module used to regenerate one question in place. */
export const regenerateQuestionTask: AiTask<QuestionsInput, QuestionsOutput> = {
  ...questionsTask,
  operation: 'question.regenerate',
};
