import { useState } from 'react';
import type { Interview } from '../../schemas/authoring.js';
import { useJob, useLoad } from '../app/hooks.js';
import { useGuide, useIsNext } from '../app/guide.js';
import { useSession } from '../app/session.js';
import { AnswerField } from '../components/AnswerField.js';
import { BookSection } from '../components/BookSection.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { JobProgress } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';
import { QuoteNote } from '../components/QuoteNote.js';

/** Kick-off interview: 3–6 questions about the book, answers autosaved. */
export function InterviewPanel() {
  return <BookSection id="interview" title="Kick-off interview">{(book) => <Interviewer bookId={book.id} />}</BookSection>;
}

function Interviewer({ bookId }: { bookId: string }) {
  const { client } = useSession();
  const { go } = useGuide();
  const interview = useLoad<Interview>(() => client.getInterview({ params: { bookId } }), [client, bookId]);
  const readiness = useLoad(() => client.getReadiness({ params: { bookId } }), [client, bookId]);
  const job = useJob('interview.generate', bookId, null, () => interview.reload());
  const generate = () => void job.start(() => client.generateInterview({ params: { bookId }, body: {} }));
  const questions = interview.data?.questions ?? [];
  // Answers saved since the list loaded count at once (the list is not reloaded while the author types).
  const [answered, setAnswered] = useState<Record<string, boolean>>({});
  const answeredCount = questions.filter((q) => answered[q.id] ?? Boolean(q.answer?.text.trim())).length;
  const notReady = readiness.data && !readiness.data.ready;
  const startIsNext = useIsNext('interview.start');

  return (
    <div>
      {notReady && (
        <div className="aa-warning" role="note">
          <p>The brief is not ready yet:</p>
          <ul>{readiness.data!.checks.filter((c) => !c.ok).map((c) => <li key={c.id}>{c.message}</li>)}</ul>
          <button type="button" className="aa-link" onClick={() => go('book')}>Finish the brief</button>
        </div>
      )}
      <div className="aa-row">
        <button type="button" className={startIsNext ? 'aa-primary' : undefined} onClick={generate} disabled={job.running || Boolean(notReady)}>
          {questions.length ? 'Ask new questions' : 'Start the interview'}
        </button>
        <button type="button" className="aa-link" onClick={() => { readiness.reload(); interview.reload(); }}>Refresh</button>
      </div>
      {!notReady && <QuoteNote operation="interview.generate" bookId={bookId} />}
      <JobProgress job={job.running || job.job?.status === 'failed' ? job.job : null} label="Interview questions" onCancel={() => void job.cancel()} onRetry={generate} />
      {job.error ? <ErrorNotice error={job.error} onRetry={generate} onDismiss={job.clearError} /> : null}
      {interview.error ? <ErrorNotice error={interview.error} onRetry={interview.reload} /> : null}
      {questions.length > 0 && (
        <div className="aa-questions">
          <p className="aa-muted">
            {answeredCount} of {questions.length} answered <OfflineBadge generatedBy={questions[0]!.generatedBy} />
          </p>
          {questions.map((q) => (
            <AnswerField key={q.id} question={q} storageKey={`interview:${bookId}:${q.id}`}
              onSaved={(answer) => setAnswered((current) => ({ ...current, [q.id]: Boolean(answer.text.trim()) }))}
              save={async (value, version) => {
                const saved = await client.putInterviewAnswers({
                  params: { bookId }, body: { answers: [{ questionId: q.id, text: value.text, ...(version === null ? {} : { version }) }] },
                });
                const answer = saved.questions.find((item) => item.id === q.id)?.answer;
                if (!answer) throw new Error('The answer was not stored.');
                return answer;
              }} />
          ))}
        </div>
      )}
    </div>
  );
}
