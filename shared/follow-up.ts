import { countWords } from './text-count.js';

/** Suggested length assumed when a question has none. */
export const FOLLOW_UP_DEFAULT_WORDS = 120;

/** A sentence that ends the answer: closing punctuation, optionally followed by quotes or brackets. */
const FINISHED = /[.!?…。！？]["'”’)\]»]*$/u;

/**
 * Whether an answer is long and complete: at least the question's suggested length and ending on a finished
 * sentence. Such an answer gets no follow-up question; a shorter or unfinished one may get one. The panels and the
 * API decide with this one rule.
 */
export function isLongAndComplete(answerText: string, suggestedWords: number | null): boolean {
  const text = answerText.trim();
  return countWords(text) >= (suggestedWords ?? FOLLOW_UP_DEFAULT_WORDS) && FINISHED.test(text);
}

/** Whether the panel offers a follow-up: a final answer that is not long and complete, on a question that is not itself one and has none yet. */
export function followUpOffered(question: {
  parentQuestionId: string | null; suggestedWords: number | null; answer: { text: string; status: 'draft' | 'final' } | null;
  hasFollowUp: boolean;
}): boolean {
  const answer = question.answer;
  if (!answer || answer.status !== 'final' || !answer.text.trim()) return false;
  return question.parentQuestionId === null && !question.hasFollowUp && !isLongAndComplete(answer.text, question.suggestedWords);
}

/**
 * Whether the author is expected to answer a question before moving on: every question but a follow-up still
 * unanswered (follow-ups are optional; once answered they count like the others). The kick-off interview's counts,
 * its next step and the overview decide with this.
 */
export function expectsAnswer(question: { parentQuestionId: string | null }, answered: boolean): boolean {
  return question.parentQuestionId === null || answered;
}
