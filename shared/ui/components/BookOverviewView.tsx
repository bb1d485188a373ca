import { useGuide } from '../app/guide.js';
import type { ChapterStanding } from '../core/next-step.js';

const mark = (done: boolean) => <span aria-hidden="true" className={done ? 'aa-mark-done' : 'aa-mark-todo'}>{done ? '✓' : '○'}</span>;

function chapterState(c: ChapterStanding): string {
  if (c.written) return 'written';
  if (c.accepted) return 'accepted, not written yet';
  if (c.drafts > 0) return `drafted (${c.drafts}), none accepted`;
  if (c.answered > 0) return `${c.answered} of ${c.questions} answered`;
  return c.questions > 0 ? `${c.questions} questions, none answered` : 'no questions yet';
}

/** Where the book stands: brief, interview, table of contents, and per chapter answered / drafted / accepted / written. */
export function BookOverviewView() {
  const { overview, go } = useGuide();
  if (!overview) return null;
  const { chapters } = overview;
  return (
    <section aria-label="Book overview" className="aa-overview">
      <ul className="aa-overview-steps">
        <li data-overview="brief">{mark(overview.briefReady)} Brief {overview.briefReady ? 'ready' : 'not ready yet'}</li>
        <li data-overview="interview">
          {mark(overview.interviewQuestions > 0 && overview.interviewAnswered >= overview.interviewQuestions)}{' '}
          <button type="button" className="aa-link" onClick={() => go('interview')}>Interview</button>{' '}
          {overview.interviewQuestions === 0 ? 'not started' : `${overview.interviewAnswered} of ${overview.interviewQuestions} answered`}
        </li>
        <li data-overview="toc">
          {mark(chapters.length > 0)}{' '}
          <button type="button" className="aa-link" onClick={() => go('toc')}>Table of contents</button>{' '}
          {chapters.length === 0 ? (overview.proposalPending ? 'proposed, not applied yet' : 'not yet') : `${chapters.length} ${chapters.length === 1 ? 'chapter' : 'chapters'}`}
        </li>
      </ul>
      {chapters.length > 0 && (
        <ol className="aa-overview-chapters" aria-label="Chapters">
          {chapters.map((c) => (
            <li key={c.chapterId} data-chapter-state={c.written ? 'written' : c.accepted ? 'accepted' : c.drafts > 0 ? 'drafted' : c.answered > 0 ? 'answered' : 'new'}>
              {mark(c.written)}{' '}
              <button type="button" className="aa-link" dir="auto" onClick={() => go(c.accepted ? 'write' : c.answered > 0 ? 'draft' : 'questions', c.chapterId)}>{c.title}</button>
              <span className="aa-muted"> — {chapterState(c)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
