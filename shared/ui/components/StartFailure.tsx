import { describeError } from '../core/error-view.js';

/**
 * Why the panels could not start (the host refused its first reads: in the add-on, Apps Script with several Google
 * accounts signed in, or a lost connection), with Try again. Shown outside the session, so it needs none.
 */
export function StartFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const view = describeError(error);
  return (
    <div className="aa-app">
      <header className="aa-header"><span className="aa-brand">Auto-Author</span></header>
      <main className="aa-main">
        <div className="aa-error" role="alert" data-code={view.code}>
          <strong>{view.title}</strong>
          <p>{view.message}</p>
          <div className="aa-row"><button type="button" onClick={onRetry}>Try again</button></div>
        </div>
      </main>
    </div>
  );
}
