import { useState } from 'react';
import { useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { formatTime } from '../core/error-view.js';
import { KIND_NAMES } from './continuity-kinds.js';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * The book's deleted continuity notes, kept as they were: the author restores one (back among the notes, and later
 * extractions may keep its subject again). Hidden while there are none; read again after every change the author makes (the session's revision).
 */
export function DeletedNotes({ bookId, onRestored }: { bookId: string; onRestored: () => void }) {
  const { client, revision } = useSession();
  const deleted = useLoad(() => client.listDeletedContinuityNotes({ params: { bookId } }), [client, bookId, revision]);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = deleted.data?.items ?? [];

  async function restore(noteId: string) {
    setError(null);
    setRestoring(noteId);
    try {
      await client.restoreContinuityNote({ params: { bookId, noteId } });
      onRestored();
    } catch (caught) {
      setError(caught);
    } finally {
      setRestoring(null);
      deleted.reload();
    }
  }

  if (deleted.error) return <ErrorNotice error={deleted.error} onRetry={deleted.reload} />;
  if (items.length === 0 && !error) return null;
  return (
    <details className="aa-add-note" aria-label="Deleted notes">
      <summary>Deleted notes ({items.length})</summary>
      <p className="aa-hint">Restore a note to have it back as it was; later updates from its chapter may then keep it again.</p>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      <ul className="aa-notes">
        {items.map(({ note, deletedAt }) => (
          <li key={note.id} className="aa-deleted-note" data-note-id={note.id}>
            <p dir="auto"><strong>{note.subject}</strong> <span className="aa-muted">{KIND_NAMES[note.kind]}</span></p>
            <p dir="auto">{note.detail}</p>
            <p className="aa-muted">Deleted {formatTime(deletedAt)}</p>
            <button type="button" disabled={restoring !== null} onClick={() => void restore(note.id)}>
              {restoring === note.id ? 'Restoring…' : 'Restore'}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
