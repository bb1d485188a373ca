import { useState } from 'react';
import { expectsAnswer } from '../../follow-up.js';
import type { Interview } from '../../schemas/authoring.js';
import { useJob, useLoad } from '../app/hooks.js';
import { useGuide, useIsNext } from '../app/guide.js';
import { useSession } from '../app/session.js';
import { AnswerField } from '../components/AnswerField.js';
import { BookSection } from '../components/BookSection.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { FollowUpAction } from '../components/FollowUpAction.js';
import { JobProgress, unlessSucceeded } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';
import { QuoteNote } from '../components/QuoteNote.js';

/** Kick-off interview: 3–6 questions about the book, answers autosaved, each with an optional follow-up under it. */
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
  const [saved, setSaved] = useState<Record<string, { text: string; status: 'draft' | 'final' }>>({});
  const answerOf = (q: Interview['questions'][number]) => saved[q.id] ?? q.answer;
  const isAnswered = (q: Interview['questions'][number]) => Boolean(answerOf(q)?.text.trim());
  // A follow-up not answered yet is optional: it is not counted until the author answers it.
  const expected = questions.filter((q) => expectsAnswer(q, isAnswered(q)));
  const answeredCount = expected.filter(isAnswered).length;
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
      {!notReady && <QuoteNote operation="interview.generate" bookId={bookId} refusal={job.error} />}
      <JobProgress job={unlessSucceeded(job.job)} label="Interview questions" onCancel={() => void job.cancel()} onRetry={generate} />
      {job.error ? <ErrorNotice error={job.error} onRetry={generate} onDismiss={job.clearError} /> : null}
      {interview.error ? <ErrorNotice error={interview.error} onRetry={interview.reload} /> : null}
      {questions.length > 0 && (
        <div className="aa-questions">
          <p className="aa-muted">
            {answeredCount} of {expected.length} answered <OfflineBadge generatedBy={questions[0]!.generatedBy} />
          </p>
          {questions.map((q) => (
            <div key={q.id} className={q.parentQuestionId ? 'aa-interview-question aa-followup' : 'aa-interview-question'} data-follow-up-of={q.parentQuestionId ?? undefined}>
              {q.parentQuestionId && (
                <p className="aa-muted aa-followup-of">Follow-up to the question above (optional) <OfflineBadge generatedBy={q.generatedBy} /></p>
              )}
              <AnswerField question={q} storageKey={`interview:${bookId}:${q.id}`}
                onSaved={(answer) => setSaved((current) => ({ ...current, [q.id]: { text: answer.text, status: answer.status } }))}
                save={async (value, version) => {
                  const stored = await client.putInterviewAnswers({
                    params: { bookId }, body: { answers: [{ questionId: q.id, text: value.text, ...(version === null ? {} : { version }) }] },
                  });
                  const answer = stored.questions.find((item) => item.id === q.id)?.answer;
                  if (!answer) throw new Error('The answer was not stored.');
                  return answer;
                }} />
              <FollowUpAction question={q} answer={answerOf(q)} label="Ask me a follow-up"
                start={() => client.followUpInterviewQuestion({ params: { bookId, questionId: q.id }, body: {} })} onMade={() => interview.reload()} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
