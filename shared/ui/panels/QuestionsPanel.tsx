import { useState } from 'react';
import { LIMITS } from '../../limits.js';
import type { ChapterProgress, Question } from '../../schemas/authoring.js';
import { useJob, useLoad } from '../app/hooks.js';
import { jobFailure } from '../core/jobs.js';
import { useIsNext } from '../app/guide.js';
import { useSession } from '../app/session.js';
import { AnswerField } from '../components/AnswerField.js';
import { BookSection, ChapterScoped } from '../components/BookSection.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { FollowUpAction } from '../components/FollowUpAction.js';
import { JobProgress, unlessSucceeded } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';
import { QuoteLine, useQuote } from '../components/QuoteNote.js';
import { writtenItems, writtenQuestion } from '../core/written-items.js';

type Filter = 'all' | 'unanswered' | 'draft' | 'final';
// An answer not marked final is "Not final", never "Draft": that word is the chapter's draft, the next tab.
const STATUS_LABEL: Record<string, string> = { unanswered: 'Unanswered', draft: 'Not final', final: 'Final' };

/** Chapter questions: one at a time or as a list, status per question, coverage meter, autosaved answers. */
export function QuestionsPanel() {
  return (
    <BookSection id="questions" title="Chapter questions">
      {(book) => <ChapterScoped bookId={book.id}>{(chapterId) => <QuestionList bookId={book.id} chapterId={chapterId} />}</ChapterScoped>}
    </BookSection>
  );
}

function QuestionList({ bookId, chapterId }: { bookId: string; chapterId: string }) {
  const { client, follow } = useSession();
  const [filter, setFilter] = useState<Filter>('all');
  const [mode, setMode] = useState<'one' | 'list'>('one');
  const [index, setIndex] = useState(0);
  const [actionError, setActionError] = useState<unknown>(null);
  // Answers saved since the list loaded (the list is not reloaded while the author types).
  const [saved, setSaved] = useState<Record<string, { text: string; status: 'draft' | 'final' }>>({});
  const params = { bookId, chapterId };
  const questions = useLoad(
    () => client.listQuestions({ params, query: { limit: LIMITS.pageLimitMax, ...(filter === 'all' ? {} : { status: filter }) } }),
    [client, bookId, chapterId, filter],
  );
  const progress = useLoad<ChapterProgress>(() => client.chapterProgress({ params }), [client, bookId, chapterId]);
  const job = useJob('questions.generate', bookId, chapterId, () => {
    questions.reload();
    progress.reload();
  });
  const generate = () => void job.start(() => client.generateQuestions({ params, body: { count: LIMITS.questionsDefault } }));

  async function regenerate(question: Question) {
    setActionError(null);
    try {
      const { job: started } = await client.regenerateQuestion({ params: { ...params, questionId: question.id }, body: {} });
      const final = await follow(started.id, () => undefined);
      if (final.status !== 'succeeded' && final.error) {
        setActionError(jobFailure(final.error));
      }
      questions.reload();
    } catch (caught) {
      setActionError(caught);
    }
  }

  const items = questions.data?.items ?? [];
  const at = Math.min(index, Math.max(0, items.length - 1));
  const shown = mode === 'one' ? items.slice(at, at + 1) : items;
  const coverage = progress.data?.coverage ?? 0;
  const textOf = new Map(items.map((q) => [q.id, q.text]));
  const generateIsNext = useIsNext('questions.generate');
  // The cost line already says why the server would refuse new questions now: the button waits.
  const quote = useQuote({ operation: 'questions.generate', bookId, chapterId, params: { count: LIMITS.questionsDefault }, refusal: job.error });

  return (
    <div>
      <div className="aa-row">
        <button type="button" className={generateIsNext ? 'aa-primary' : undefined} onClick={generate} disabled={job.running || quote?.reason}>{items.length ? 'Ask more questions' : 'Generate questions'}</button>
      </div>
      <QuoteLine quote={quote} />
      <JobProgress job={unlessSucceeded(job.job)} label="Questions" onCancel={() => void job.cancel()} onRetry={generate}
        written={(streamed) => (
          <ol className="aa-question-list" aria-label="Questions being written">
            {writtenItems(streamed, writtenQuestion).map((q, i) => (
              <li key={i}>
                {q.lens && <span className="aa-muted">{q.lens} lens</span>}
                <p className="aa-question" dir="auto">{q.text}</p>
                {q.helpText && <p className="aa-hint" dir="auto">{q.helpText}</p>}
              </li>
            ))}
          </ol>
        )} />
      {job.error ? <ErrorNotice error={job.error} onRetry={generate} onDismiss={job.clearError} /> : null}
      {progress.data && (
        <div className="aa-coverage">
          <label>
            Coverage {Math.round(coverage * 100)}%
            <meter min={0} max={1} low={0.3} high={0.7} optimum={1} value={coverage} />
          </label>
          <span className="aa-muted">{progress.data.answered} of {progress.data.questions} answered, {progress.data.final} final, {progress.data.answerWords} words</span>
        </div>
      )}
      <div className="aa-row aa-space">
        <div role="group" aria-label="Show questions" className="aa-segmented">
          <button type="button" aria-pressed={mode === 'one'} onClick={() => setMode('one')}>One at a time</button>
          <button type="button" aria-pressed={mode === 'list'} onClick={() => setMode('list')}>List</button>
        </div>
        <label className="aa-inline">
          Show
          <select value={filter} onChange={(e) => { setFilter(e.target.value as Filter); setIndex(0); }}>
            <option value="all">All</option>
            <option value="unanswered">Unanswered</option>
            <option value="draft">{STATUS_LABEL.draft}</option>
            <option value="final">Final</option>
          </select>
        </label>
      </div>
      {questions.error ? <ErrorNotice error={questions.error} onRetry={questions.reload} /> : null}
      {actionError ? <ErrorNotice error={actionError} onDismiss={() => setActionError(null)} /> : null}
      {questions.data && items.length === 0 && <p className="aa-muted">No questions{filter === 'all' ? ' yet' : ' with this status'}.</p>}
      {mode === 'one' && items.length > 0 && (
        <nav className="aa-row aa-space aa-qnav" aria-label="Question navigation">
          <button type="button" disabled={at === 0} onClick={() => setIndex(at - 1)}>Previous</button>
          <span aria-live="polite">Question {at + 1} of {items.length}</span>
          <button type="button" disabled={at >= items.length - 1} onClick={() => setIndex(at + 1)}>Next</button>
        </nav>
      )}
      <ol className="aa-question-list" start={mode === 'one' ? at + 1 : 1}>
        {shown.map((q) => {
          const answer = saved[q.id] ?? q.answer;
          const status = saved[q.id] ? (saved[q.id]!.text.trim() ? saved[q.id]!.status : 'unanswered') : q.status;
          const parent = q.parentQuestionId ? textOf.get(q.parentQuestionId) : undefined;
          return (
          <li key={q.id} className={q.parentQuestionId ? 'aa-followup' : undefined} data-follow-up-of={q.parentQuestionId ?? undefined}>
            {q.parentQuestionId && (
              <p className="aa-muted aa-followup-of" dir="auto">
                Follow-up{mode === 'one' && parent ? <> to “{parent}”</> : ' to the question above'}
              </p>
            )}
            <div className="aa-row aa-space">
              <StatusBadge status={status} />
              {q.lens && <span className="aa-muted">{q.lens} lens</span>}
              <OfflineBadge generatedBy={q.generatedBy} />
              {status === 'unanswered' && !q.parentQuestionId && q.regenerations < LIMITS.regenerationsMax && (
                <button type="button" className="aa-link" onClick={() => void regenerate(q)}>Ask differently</button>
              )}
            </div>
            <AnswerField question={q} withStatus storageKey={`answer:${bookId}:${q.id}`} onSaved={(answer) => {
                setSaved((current) => ({ ...current, [q.id]: { text: answer.text, status: answer.status } }));
                progress.reload();
              }}
              save={async (value, version) => {
                const saved = await client.putAnswer({
                  params: { ...params, questionId: q.id },
                  body: { text: value.text, status: value.text.trim() ? value.status : 'draft', ...(version === null ? {} : { version }) },
                });
                if (!saved.answer) throw new Error('The answer was not stored.');
                return saved.answer;
              }} />
            <FollowUpAction question={q} answer={answer} label="Ask a follow-up on this answer"
              start={() => client.followUpQuestion({ params: { ...params, questionId: q.id }, body: {} })} onMade={() => {
              questions.reload();
              progress.reload();
            }} />
          </li>
          );
        })}
      </ol>
    </div>
  );
}

function StatusBadge({ status }: { status: string }) {
  return <span className={`aa-badge aa-status-${status}`} data-status={status}>{STATUS_LABEL[status] ?? status}</span>;
}
