import { useId } from 'react';
import type { Answer, Question } from '../../schemas/authoring.js';
import { LIMITS } from '../../limits.js';
import { countWords } from '../../text-count.js';
import { useAutosave } from '../app/hooks.js';
import type { Confirmed } from '../core/autosave.js';
import { ConflictChooser } from './ConflictChooser.js';
import { SaveStatus } from './SaveStatus.js';

/** An answer as it is edited: text and draft/final. */
export interface AnswerValue {
  text: string;
  status: 'draft' | 'final';
}

const valueOf = (answer: Answer | null): AnswerValue => ({ text: answer?.text ?? '', status: answer?.status ?? 'draft' });

/**
 * Reads this question's answer from `details.current` of an answer conflict: one answer (a single answer's save), or
 * the list of stale answers of a batch save (the interview's), each null when it was removed.
 */
export function answerConflict(details: unknown, questionId: string): Confirmed<AnswerValue> | null {
  const current = (details as { current?: Answer | Array<Answer | null> | null } | null)?.current;
  const theirs = Array.isArray(current) ? current.find((answer) => answer?.questionId === questionId) : current;
  return theirs && typeof theirs.version === 'number' ? { value: valueOf(theirs), version: theirs.version } : null;
}

/**
 * One question with its autosaved answer: text shown as text (never HTML), help text, suggested length, and the
 * save state; `withStatus` adds the draft/final choice (chapter questions).
 */
export function AnswerField({ question, storageKey, save, withStatus = false, onSaved }: {
  question: Question;
  storageKey: string;
  /** Sends the answer with its version (compare-and-swap) and returns the stored answer. */
  save: (value: AnswerValue, version: number | null) => Promise<Answer>;
  withStatus?: boolean;
  onSaved?: (answer: Answer) => void;
}) {
  const id = useId();
  const answer = useAutosave<AnswerValue>(
    question.answer ? { value: valueOf(question.answer), version: question.answer.version } : { value: valueOf(null), version: null },
    {
      key: storageKey,
      async save(value, version) {
        const saved = await save(value, version);
        onSaved?.(saved);
        return { value: valueOf(saved), version: saved.version };
      },
      conflictOf: (details) => answerConflict(details, question.id),
    },
  );
  const value = answer.snapshot?.value ?? valueOf(question.answer);
  const words = countWords(value.text);
  // Near the limit the count shows in characters, the way the limit counts them (UTF-16 units, as the API does).
  const nearLimit = value.text.length > LIMITS.answerMaxChars * 0.9;
  const refused = answer.snapshot?.status === 'failed' && answer.snapshot.error?.code === 'VALIDATION';
  return (
    <div className="aa-answer" data-question-id={question.id}>
      <label htmlFor={`${id}-text`} className="aa-question" dir="auto">{question.text}</label>
      {question.helpText && <p className="aa-hint" id={`${id}-help`} dir="auto">{question.helpText}</p>}
      <textarea id={`${id}-text`} rows={4} dir="auto" value={value.text} aria-describedby={question.helpText ? `${id}-help` : undefined}
        aria-invalid={refused || value.text.length > LIMITS.answerMaxChars ? true : undefined}
        onChange={(e) => answer.edit({ ...value, text: e.target.value })} onBlur={() => void answer.flush()} />
      <div className="aa-row aa-space">
        <span className="aa-muted">
          {words}{question.suggestedWords ? ` / ~${question.suggestedWords}` : ''} words
          {nearLimit && <span className={value.text.length > LIMITS.answerMaxChars ? 'aa-over' : ''}>{`, ${value.text.length.toLocaleString()} of ${LIMITS.answerMaxChars.toLocaleString()} characters`}</span>}
        </span>
        {withStatus && (
          <label className="aa-inline">
            <input type="checkbox" checked={value.status === 'final'} disabled={!value.text.trim()}
              onChange={(e) => answer.edit({ ...value, status: e.target.checked ? 'final' : 'draft' })} />
            Final
          </label>
        )}
        <SaveStatus snapshot={answer.snapshot} onRetry={answer.retry} />
      </div>
      {answer.snapshot?.conflict && (
        <ConflictChooser what="answer" mine={answer.snapshot.conflict.mine.text} theirs={answer.snapshot.conflict.theirs.text} onChoose={answer.resolve} />
      )}
    </div>
  );
}
