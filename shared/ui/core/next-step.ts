/** The panels of the journey, in order (Connect and Usage stand apart). */
export type JourneyPanel = 'book' | 'interview' | 'toc' | 'questions' | 'draft' | 'write';

/** Where one chapter stands: answered, drafted, accepted, written. */
export interface ChapterStanding {
  chapterId: string;
  title: string;
  questions: number;
  answered: number;
  drafts: number;
  accepted: boolean;
  written: boolean;
}

/** Where the whole book stands, read from the API (and the host's preview for what was written). */
export interface BookOverview {
  briefReady: boolean;
  interviewQuestions: number;
  interviewAnswered: number;
  /** A generated or imported TOC proposal waiting to be applied. */
  proposalPending: boolean;
  chapters: ChapterStanding[];
}

/** What the author does next: an action, on a panel (and chapter), in words for a button. */
export interface NextStep {
  action:
    | 'brief' | 'interview.start' | 'interview.answer' | 'toc.propose' | 'toc.apply' | 'questions.generate' | 'questions.answer'
    | 'draft.generate' | 'draft.accept' | 'write.chapter' | 'done';
  panel: JourneyPanel;
  chapterId: string | null;
  label: string;
}

/** Done, the next step, or still to come: what the tab bar shows per panel. */
export type StepState = 'done' | 'next' | 'todo';

const chapterStep = (chapter: ChapterStanding): NextStep | null => {
  const on = (action: NextStep['action'], panel: JourneyPanel, label: string): NextStep => ({ action, panel, chapterId: chapter.chapterId, label });
  if (chapter.questions === 0) return on('questions.generate', 'questions', `Questions for “${chapter.title}”`);
  if (chapter.answered === 0) return on('questions.answer', 'questions', `Answer the questions of “${chapter.title}”`);
  if (chapter.drafts === 0) return on('draft.generate', 'draft', `Draft “${chapter.title}”`);
  if (!chapter.accepted) return on('draft.accept', 'draft', `Accept a draft of “${chapter.title}”`);
  if (!chapter.written) return on('write.chapter', 'write', `Write “${chapter.title}” into the document`);
  return null;
};

/**
 * The one next step of a book: the brief until it is ready, then the interview, the table of contents, and chapter
 * by chapter (in TOC order) questions → answers → draft → accept → write. `done` once every chapter is written.
 */
export function nextStep(book: BookOverview): NextStep {
  const step = (action: NextStep['action'], panel: JourneyPanel, label: string): NextStep => ({ action, panel, chapterId: null, label });
  if (!book.briefReady) return step('brief', 'book', 'Finish the brief');
  if (book.interviewQuestions === 0) return step('interview.start', 'interview', 'Start the interview');
  if (book.interviewAnswered < book.interviewQuestions) return step('interview.answer', 'interview', 'Answer the interview');
  if (book.chapters.length === 0) {
    return book.proposalPending ? step('toc.apply', 'toc', 'Apply the proposed table of contents') : step('toc.propose', 'toc', 'Propose a table of contents');
  }
  for (const chapter of book.chapters) {
    const next = chapterStep(chapter);
    if (next) return next;
  }
  return step('done', 'write', 'Every chapter is written');
}

/** Per journey panel: done, the next step's panel, or to come (shown on the tab bar). */
export function stepStates(book: BookOverview): Record<JourneyPanel, StepState> {
  const next = nextStep(book);
  const chapters = book.chapters;
  const every = (test: (c: ChapterStanding) => boolean) => chapters.length > 0 && chapters.every(test);
  const done: Record<JourneyPanel, boolean> = {
    book: book.briefReady,
    interview: book.interviewQuestions > 0 && book.interviewAnswered >= book.interviewQuestions,
    toc: chapters.length > 0,
    questions: every((c) => c.answered > 0),
    draft: every((c) => c.accepted),
    write: every((c) => c.written),
  };
  const states = {} as Record<JourneyPanel, StepState>;
  for (const panel of Object.keys(done) as JourneyPanel[]) {
    states[panel] = next.action !== 'done' && next.panel === panel ? 'next' : done[panel] ? 'done' : 'todo';
  }
  return states;
}
