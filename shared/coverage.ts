import { countWords } from './text-count.js';

/**
 * Coverage of a chapter by author material, 0–1: each question counts as answered in proportion to its answer's
 * length against the suggested length (capped at 1); a chapter without questions has coverage 0.
 */
export function chapterCoverage(questions: Array<{ suggestedWords: number | null; answerText: string | null }>): number {
  if (questions.length === 0) return 0;
  const total = questions.reduce((sum, q) => {
    const words = q.answerText ? countWords(q.answerText) : 0;
    return sum + Math.min(1, words / Math.max(1, q.suggestedWords ?? 100));
  }, 0);
  return Math.round((total / questions.length) * 1000) / 1000;
}
