import type { Brief } from '../ai/tasks/common.js';
import type { AnswerRecord, QuestionRecord } from '../stores/engine-types.js';
import type { BookRecord } from '../stores/types.js';

/** The book brief as prompt data (ids never go into prompts or cache keys). */
export function briefOf(book: BookRecord): Brief {
  return {
    title: book.title, subtitle: book.subtitle, genre: book.genre, audience: book.audience, language: book.language,
    description: book.description, targetWords: book.targetWords, summary: book.summary,
  };
}

/** Questions paired with their answers; `status` derived from the answer. */
export function withAnswers(questions: QuestionRecord[], answers: AnswerRecord[]) {
  const byQuestion = new Map(answers.map((answer) => [answer.questionId, answer]));
  return questions.map((question) => {
    const answer = byQuestion.get(question.id) ?? null;
    const answered = answer !== null && answer.text.trim().length > 0;
    return { question, answer, status: answered ? answer.status : ('unanswered' as const) };
  });
}

/** Positional refs (A1, A2, …) for answered questions, and the map back to sources. */
export function answerRefs(pairs: ReturnType<typeof withAnswers>) {
  const answered = pairs.filter((pair) => pair.status !== 'unanswered');
  const refs = answered.map((pair, index) => ({
    ref: `A${index + 1}`, question: pair.question.text, answer: pair.answer!.text,
    source: { questionId: pair.question.id, answerVersion: pair.answer!.version },
  }));
  return { refs, byRef: new Map(refs.map((r) => [r.ref, r.source])) };
}
