import type { AutosaveSnapshot } from '../core/autosave.js';
import { useCountdown } from '../app/hooks.js';

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
  // Nothing stored yet and nothing typed: there is no save state to report.
  const text = status === 'saved' && snapshot?.version === null ? '' : LABELS[status] ?? status;
  return (
    <span className={`aa-save aa-save-${status}`} data-save-status={status}>
      <span role="status" aria-live="polite">
        {label && text ? `${label}: ` : ''}
        {text}
        {status === 'retrying' && retryIn > 0 ? ` in ${retryIn} s` : ''}
        {status !== 'saved' && snapshot?.error && !['conflict'].includes(status) ? ` (${offlineHint(snapshot.error.code)})` : ''}
      </span>
      {(status === 'retrying' || status === 'failed') && onRetry && (
        <button type="button" className="aa-link" onClick={onRetry}>Retry now</button>
      )}
    </span>
  );
}

function offlineHint(code: string): string {
  if (code === 'NETWORK' || code === 'TIMEOUT') return 'offline; your text is kept on this device';
  if (code === 'RATE_LIMITED') return 'rate limited';
  if (code === 'VALIDATION' || code === 'PAYLOAD_TOO_LARGE') return 'not accepted; check the text';
  return 'kept on this device';
}
