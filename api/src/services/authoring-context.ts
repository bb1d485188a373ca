import type { Brief } from '../ai/tasks/common.js';
import type { AnswerRecord, QuestionRecord } from '../stores/engine-types.js';
import type { BookRecord, ChapterRecord, Store } from '../stores/types.js';

/** The book brief as prompt data (ids never go into prompts or cache keys). */
export function briefOf(book: BookRecord): Brief {
  return {
    title: book.title, subtitle: book.subtitle, genre: book.genre, audience: book.audience, language: book.language,
    description: book.description, targetWords: book.targetWords, summary: book.summary,
  };
}

/** A question's status from its answer: unanswered until the answer has text. */
export function answerStatus(answer: Pick<AnswerRecord, 'text' | 'status'> | null): AnswerRecord['status'] | 'unanswered' {
  return answer !== null && answer.text.trim().length > 0 ? answer.status : 'unanswered';
}

/** Questions paired with their answers; `status` derived from the answer. */
export function withAnswers(questions: QuestionRecord[], answers: AnswerRecord[]) {
  const byQuestion = new Map(answers.map((answer) => [answer.questionId, answer]));
  return questions.map((question) => {
    const answer = byQuestion.get(question.id) ?? null;
    return { question, answer, status: answerStatus(answer) };
  });
}

/** The questions of a chapter (or of the interview: `chapterId` null) paired with their answers. */
export async function questionsWithAnswers(store: Pick<Store, 'questions' | 'answers'>, bookId: string, chapterId: string | null) {
  const questions = await store.questions.list(bookId, chapterId);
  return withAnswers(questions, await store.answers.listByQuestions(questions.map((q) => q.id)));
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

/**
 * Chapters that hold author material (answers, drafts, work in progress, or a title the author wrote themselves):
 * never dropped or overwritten.
 */
export async function chaptersWithMaterial(store: Pick<Store, 'answers' | 'drafts'>, bookId: string, all: ChapterRecord[]): Promise<Set<string>> {
  const ids = new Set([...(await store.answers.chaptersWithAnswers(bookId)), ...(await store.drafts.chaptersWithDrafts(bookId))]);
  for (const chapter of all) if (chapter.status !== 'planned' || chapter.authoredAt) ids.add(chapter.id);
  return ids;
}

/**
 * Questions in reading order with each follow-up right under its parent (a follow-up whose parent is gone keeps its
 * own place), and the follow-up of each question by the parent's id.
 */
export function withFollowUps<P extends { question: QuestionRecord }>(pairs: P[]): { ordered: P[]; followUpOf: Map<string, string> } {
  const ids = new Set(pairs.map((pair) => pair.question.id));
  const children = new Map<string, P[]>();
  for (const pair of pairs) {
    const parent = pair.question.parentQuestionId;
    if (parent && ids.has(parent)) children.set(parent, [...(children.get(parent) ?? []), pair]);
  }
  const ordered = pairs
    .filter((pair) => !pair.question.parentQuestionId || !ids.has(pair.question.parentQuestionId))
    .flatMap((pair) => [pair, ...(children.get(pair.question.id) ?? [])]);
  const followUpOf = new Map([...children].map(([parent, list]) => [parent, list[0]!.question.id]));
  return { ordered, followUpOf };
}
