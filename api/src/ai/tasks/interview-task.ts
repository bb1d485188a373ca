import { z } from 'zod';
import { LIMITS } from '../../../../shared/limits.js';
import type { AiTask } from '../llm.js';
import { BriefSchema, dataBlock, systemPrompt, type Brief } from './common.js';

export const InterviewOutputSchema = z.object({
  questions: z
    .array(z.object({ text: z.string().min(5).max(500), helpText: z.string().max(500).nullable() }))
    .min(LIMITS.interviewQuestionsMin)
    .max(LIMITS.interviewQuestionsMax),
});
export type InterviewOutput = z.infer<typeof InterviewOutputSchema>;

export const InterviewInputSchema = z.object({ brief: BriefSchema });
export type InterviewInput = z.infer<typeof InterviewInputSchema>;

function offlineQuestions(brief: Brief): InterviewOutput['questions'] {
  const title = brief.title;
  const questions: InterviewOutput['questions'] = [
    brief.audience
      ? { text: `You wrote that the book is for ${brief.audience}. Describe one such reader: what do they struggle with before opening "${title}"?`, helpText: 'Picture one real person; concrete details help every later chapter.' }
      : { text: `Who is the one reader you most want "${title}" to reach, and what do they struggle with today?`, helpText: 'Picture one real person: their situation, what they have tried, what they fear.' },
    { text: `What should a reader be able to do, understand or believe after the last page that they could not before?`, helpText: 'This is the promise of the book; one or two sentences are enough.' },
    { text: 'What will this book deliberately leave out, and why?', helpText: 'Naming the edges keeps the chapters focused.' },
    { text: 'Which stories, cases, examples or evidence will carry the book?', helpText: 'List the material you already have: experiences, clients, research, interviews.' },
    {
      text: 'How should the book sound: whose voice tells it, and which books does it resemble in tone?',
      helpText: 'For example: first person and candid, or measured and instructive.',
    },
  ];
  if (!brief.genre) questions.push({ text: 'How would a bookshop shelve this book?', helpText: 'Genre and category shape the structure readers expect.' });
  return questions.slice(0, LIMITS.interviewQuestionsMax);
}

/** Kick-off interview: 3–6 clarifying questions about reader, promise, scope, structure and voice. */
export const interviewTask: AiTask<InterviewInput, InterviewOutput> = {
  operation: 'interview.generate',
  name: 'kickoff_interview',
  promptVersion: 'interview.v1',
  outputSchema: InterviewOutputSchema,
  maxOutputTokens: () => 1_200,
  messages: ({ brief }) => ({
    system: systemPrompt(
      'You are a book development editor preparing a kick-off interview with an author.',
      [
        `Ask ${LIMITS.interviewQuestionsMin} to ${LIMITS.interviewQuestionsMax} clarifying questions about the reader, the promise, the scope, the structure and the voice of the book.`,
        'Ask only what the brief leaves unclear. Each question gets a one-sentence helpText telling the author what a useful answer contains.',
      ],
      brief.language,
    ),
    user: dataBlock('brief', brief),
  }),
  offline: ({ brief }) => ({ questions: offlineQuestions(brief) }),
};
