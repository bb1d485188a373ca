/** A polite live region for the outcome of an action; errors are announced assertively. */
export function StatusLine({ status }: { status: { kind: string; message: string } }) {
  if (status.kind === 'error') {
    return (
      <p className="status status-error" role="alert">
        {status.message}
      </p>
    );
  }
  return (
    <p className={`status status-${status.kind}`} role="status">
      {status.message}
    </p>
  );
}

/** An error while loading a view, with a retry. */
export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="status status-error" role="alert">
      <p>Could not load: {message}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
