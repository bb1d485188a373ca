import type { AutosaveSnapshot } from '../core/autosave.js';
import { useCountdown } from '../app/hooks.js';
import { describeError } from '../core/error-view.js';

const LABELS: Record<string, string> = {
  saved: 'Saved',
  pending: 'Not saved yet',
  saving: 'Saving…',
  retrying: 'Not saved — retrying',
  conflict: 'Not saved — changed elsewhere',
  failed: 'Not saved',
};

/** The visible saved / saving / not saved state of an autosaved field, announced politely. */
export function SaveStatus({ snapshot, onRetry, label }: { snapshot: AutosaveSnapshot<unknown> | null; onRetry?: () => void; label?: string }) {
  const status = snapshot?.status ?? 'saved';
  const retryIn = useCountdown(snapshot?.retryAt ? Math.max(0, Math.round((snapshot.retryAt - Date.now()) / 1000)) : null);
  // Not loaded (or its load failed), or nothing stored yet and nothing typed: there is no save state to report.
  const text = !snapshot || (status === 'saved' && snapshot.version === null) ? '' : LABELS[status] ?? status;
  return (
    <span className={`aa-save aa-save-${status}`} data-save-status={status}>
      <span role="status" aria-live="polite">
        {label && text ? `${label}: ` : ''}
        {text}
        {status === 'retrying' && retryIn > 0 ? ` in ${retryIn} s` : ''}
        {status !== 'saved' && snapshot?.error && status !== 'conflict' ? reason(snapshot.error) : ''}
      </span>
      {/* A refused text cannot save as it is: no retry until it changes. */}
      {(status === 'retrying' || (status === 'failed' && !refused(snapshot))) && onRetry && (
        <button type="button" className="aa-link" onClick={onRetry}>Retry now</button>
      )}
    </span>
  );
}

const refused = (snapshot: AutosaveSnapshot<unknown> | null) => snapshot?.error?.code === 'VALIDATION' || snapshot?.error?.code === 'PAYLOAD_TOO_LARGE';

/** Why it is not saved: the server's reason when it refused the text, else what happens to it meanwhile. */
function reason(error: NonNullable<AutosaveSnapshot<unknown>['error']>): string {
  if (error.code === 'NETWORK' || error.code === 'TIMEOUT') return ' (no connection; your text is kept on this device)';
  if (error.code === 'RATE_LIMITED') return ' (too many saves at once; it retries by itself)';
  if (error.code === 'VALIDATION' || error.code === 'PAYLOAD_TOO_LARGE') return `: ${describeError(error).message}`;
  return ' (your text is kept on this device)';
}
