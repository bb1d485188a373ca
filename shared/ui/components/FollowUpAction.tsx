import { useState } from 'react';
import { followUpOffered } from '../../follow-up.js';
import type { Question } from '../../schemas/authoring.js';
import { useSession } from '../app/session.js';
import { jobFailure } from '../core/jobs.js';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * "Ask a follow-up" under a final answer that is not long and complete (the shared rule the API applies too), on a
 * question that has no follow-up yet. When the model finds nothing left open it says so here. Chapter questions and
 * the kick-off interview use it alike; `start` starts their follow-up job.
 */
export function FollowUpAction({ question, answer, start, label, onMade }: {
  question: Question;
  /** The answer as last saved (it may be newer than the loaded list). */
  answer: { text: string; status: 'draft' | 'final' } | null;
  start: () => Promise<{ job: { id: string } }>;
  label: string;
  onMade: () => void;
}) {
  const { follow } = useSession();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const offered = followUpOffered({ parentQuestionId: question.parentQuestionId, suggestedWords: question.suggestedWords, answer, hasFollowUp: question.followUpId !== null });
  if (!offered && !note && !error) return null;

  async function ask() {
    setBusy(true);
    setError(null);
    try {
      const { job } = await start();
      const final = await follow(job.id, () => undefined);
      if (final.status !== 'succeeded') setError(final.error ? jobFailure(final.error) : null);
      else if (typeof final.result?.questionId === 'string') onMade();
      else setNote(typeof final.result?.note === 'string' ? final.result.note : 'No follow-up needed.');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="aa-followup-action">
      {offered && !note && (
        <button type="button" className="aa-link" onClick={() => void ask()} disabled={busy}>
          {busy ? 'Asking a follow-up…' : label}
        </button>
      )}
      {note && <p className="aa-muted" role="status">{note} Your answer stays as it is; go on with the next question.</p>}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}
