import { useEffect, useState } from 'react';
import { describeError } from '../core/error-view.js';
import { useCountdown } from '../app/hooks.js';
import { useSession } from '../app/session.js';

/** An error in the author's words, decided by code, with what they can do (retry, wait, re-connect); no retry where none can work. */
export function ErrorNotice({ error, onRetry, onDismiss }: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  const view = describeError(error);
  const { host, disconnect, connection } = useSession();
  const left = useCountdown(view.retryAfterS);
  const [googleRefused, setGoogleRefused] = useState(false);
  // "Cannot reach the server" goes by itself once the server answers again.
  const [shownAt] = useState(connection.epoch);
  const answeredSince = (view.code === 'NETWORK' || view.code === 'TIMEOUT') && connection.epoch > shownAt;
  useEffect(() => {
    if (answeredSince) onDismiss?.();
  }, [answeredSince]);
  if (answeredSince) return null;
  return (
    <div className="aa-error" role="alert" data-code={view.code}>
      <strong>{view.title}</strong>
      <p>{view.message}</p>
      {view.code === 'RATE_LIMITED' && (
        <p className="aa-countdown" aria-live="off">{left > 0 ? `Try again in ${left} s.` : 'You can try again now.'}</p>
      )}
      <div className="aa-row">
        {/* Without Google's consent again a retry meets the same refusal: Re-connect Google retries once it is given. */}
        {onRetry && view.action !== 'reconnect' && view.action !== 'reconnect-google' && view.action !== 'none' && (
          <button type="button" onClick={onRetry} disabled={view.code === 'RATE_LIMITED' && left > 0}>
            {view.action === 'reload' ? 'Reload' : 'Try again'}
          </button>
        )}
        {view.action === 'reconnect-google' && (
          <button type="button" onClick={() => void host.getGoogleToken({ interactive: true }).then((token) => {
            setGoogleRefused(!token);
            if (token) onRetry?.();
          })}>
            Re-connect Google
          </button>
        )}
        {view.action === 'reconnect' && (
          <button type="button" onClick={() => void disconnect()}>Connect again</button>
        )}
        {onDismiss && <button type="button" className="aa-link" onClick={onDismiss}>Dismiss</button>}
      </div>
      {googleRefused && <p>Google gave no access: its window was closed, or Google could not be reached. Re-connect Google to try again.</p>}
      {view.requestId && <p className="aa-ref">Reference: {view.requestId}</p>}
    </div>
  );
}
