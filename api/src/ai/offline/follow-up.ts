import type { FollowUpInput, FollowUpOutput } from '../tasks/follow-up-task.js';
import { splitSentences } from './key-phrases.js';

const QUOTED_MAX = 240;

/** The last sentence of the answer, clipped at a word for quoting. */
function lastSentence(answer: string): string {
  const last = splitSentences(answer).at(-1)?.trim() ?? answer.trim();
  if (last.length <= QUOTED_MAX) return last;
  return `${last.slice(0, QUOTED_MAX).replace(/\s+\S*$/u, '')}…`;
}

/** Template mode: a follow-up built from the answer's last sentence (labelled offline by the record's generatedBy). */
export function offlineFollowUp(input: FollowUpInput): FollowUpOutput {
  const quoted = lastSentence(input.answer);
  if (!quoted) return { followUp: null, reason: 'The answer is empty.' };
  // A quote that ends without its own full stop gets one after it, so the question reads as two sentences.
  const afterQuote = /[.!?…]$/u.test(quoted) ? '' : '.';
  return {
    followUp: {
      text: `You wrote: “${quoted}”${afterQuote} Tell more about that: what happened, and what should the reader take from it?`,
      helpText: 'One concrete detail, example or consequence is enough.',
      lens: input.question.lens ?? 'editor',
      suggestedWords: 80,
    },
    reason: null,
  };
}
