import { describe, expect, it } from 'vitest';
import { expectsAnswer, FOLLOW_UP_DEFAULT_WORDS, followUpOffered, isLongAndComplete } from './follow-up.js';
import { nextStep, type BookOverview } from './ui/core/next-step.js';

const words = (n: number, end = '.') => `${Array.from({ length: n }, (_, i) => `word${i}`).join(' ')}${end}`;

describe('the follow-up rule (shared by the panels and the API)', () => {
  it('an answer is long and complete at its suggested length and ending on a finished sentence', () => {
    expect(isLongAndComplete(words(60), 60)).toBe(true);
    expect(isLongAndComplete(words(59), 60)).toBe(false);
    expect(isLongAndComplete(words(80, ''), 60)).toBe(false);
    expect(isLongAndComplete(words(80, ' and then'), 60)).toBe(false);
    expect(isLongAndComplete(`${words(60, '')}?”`, 60)).toBe(true);
    expect(isLongAndComplete(words(FOLLOW_UP_DEFAULT_WORDS), null)).toBe(true);
    expect(isLongAndComplete(words(FOLLOW_UP_DEFAULT_WORDS - 1), null)).toBe(false);
    // CJK: each ideograph is a word; the ideographic full stop finishes a sentence.
    expect(isLongAndComplete(`${'字'.repeat(40)}。`, 40)).toBe(true);
  });

  it('is offered under a final answer that is not long and complete, once, never on a follow-up', () => {
    const question = { parentQuestionId: null, suggestedWords: 60, hasFollowUp: false, answer: { text: 'Short.', status: 'final' as const } };
    expect(followUpOffered(question)).toBe(true);
    expect(followUpOffered({ ...question, answer: { text: 'Short.', status: 'draft' } })).toBe(false);
    expect(followUpOffered({ ...question, answer: { text: '   ', status: 'final' } })).toBe(false);
    expect(followUpOffered({ ...question, answer: null })).toBe(false);
    expect(followUpOffered({ ...question, hasFollowUp: true })).toBe(false);
    expect(followUpOffered({ ...question, parentQuestionId: 'q_1' })).toBe(false);
    expect(followUpOffered({ ...question, answer: { text: words(60), status: 'final' } })).toBe(false);
  });

  it('a follow-up is optional: an unanswered one does not hold the author back, an answered one counts like the others', () => {
    expect(expectsAnswer({ parentQuestionId: null }, false)).toBe(true);
    expect(expectsAnswer({ parentQuestionId: 'q_1' }, false)).toBe(false);
    expect(expectsAnswer({ parentQuestionId: 'q_1' }, true)).toBe(true);
    // The interview's three questions answered, its follow-up not: the next step is the table of contents.
    const interview = [{ parentQuestionId: null, answered: true }, { parentQuestionId: 'q_0', answered: false }, { parentQuestionId: null, answered: true }, { parentQuestionId: null, answered: true }];
    const book: BookOverview = {
      briefReady: true, interviewQuestions: interview.filter((q) => expectsAnswer(q, q.answered)).length,
      interviewAnswered: interview.filter((q) => q.answered).length, proposalPending: false, chapters: [],
    };
    expect(nextStep(book).action).toBe('toc.propose');
  });
});
