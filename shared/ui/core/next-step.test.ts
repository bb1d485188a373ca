import { describe, expect, it } from 'vitest';
import { nextStep, stepStates, type BookOverview, type ChapterStanding } from './next-step.js';

const chapter = (id: string, standing: Partial<ChapterStanding> = {}): ChapterStanding =>
  ({ chapterId: id, title: `Chapter ${id}`, questions: 0, answered: 0, drafts: 0, accepted: false, written: false, ...standing });
const book = (overview: Partial<BookOverview> = {}): BookOverview =>
  ({ briefReady: true, interviewQuestions: 4, interviewAnswered: 4, proposalPending: false, chapters: [], ...overview });

describe('nextStep', () => {
  it('walks the journey: brief, interview, table of contents', () => {
    expect(nextStep(book({ briefReady: false }))).toMatchObject({ action: 'brief', panel: 'book' });
    expect(nextStep(book({ interviewQuestions: 0, interviewAnswered: 0 }))).toMatchObject({ action: 'interview.start', panel: 'interview' });
    expect(nextStep(book({ interviewAnswered: 2 }))).toMatchObject({ action: 'interview.answer', panel: 'interview' });
    expect(nextStep(book())).toMatchObject({ action: 'toc.propose', panel: 'toc' });
    expect(nextStep(book({ proposalPending: true }))).toMatchObject({ action: 'toc.apply', panel: 'toc' });
  });

  it('takes chapters in TOC order, each through questions, answers, draft, accept and write', () => {
    const written = chapter('1', { questions: 5, answered: 5, drafts: 1, accepted: true, written: true });
    const steps = [
      [chapter('2'), 'questions.generate', 'questions'],
      [chapter('2', { questions: 5 }), 'questions.answer', 'questions'],
      [chapter('2', { questions: 5, answered: 1 }), 'draft.generate', 'draft'],
      [chapter('2', { questions: 5, answered: 1, drafts: 2 }), 'draft.accept', 'draft'],
      [chapter('2', { questions: 5, answered: 1, drafts: 2, accepted: true }), 'write.chapter', 'write'],
    ] as const;
    for (const [second, action, panel] of steps) {
      expect(nextStep(book({ chapters: [written, second, chapter('3')] }))).toEqual(expect.objectContaining({ action, panel, chapterId: '2' }));
    }
    expect(nextStep(book({ chapters: [written] })).action).toBe('done');
  });

  it('marks each panel done, next or to come for the tab bar', () => {
    expect(stepStates(book({ chapters: [chapter('1', { questions: 5, answered: 2 })] }))).toEqual({
      book: 'done', interview: 'done', toc: 'done', questions: 'done', draft: 'next', write: 'todo',
    });
    expect(stepStates(book({ briefReady: false, interviewQuestions: 0, interviewAnswered: 0 })).book).toBe('next');
  });
});
