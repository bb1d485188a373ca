import { useState } from 'react';
import { LIMITS } from '../../limits.js';
import { CONTINUITY_KINDS, type ContinuityKind, type ContinuityNote } from '../../schemas/continuity.js';
import { useJob, useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { BookSection } from '../components/BookSection.js';
import { KIND_HEADINGS, KIND_NAMES } from '../components/continuity-kinds.js';
import { DeletedNotes } from '../components/DeletedNotes.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { JobProgress, unlessSucceeded } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';

/**
 * Continuity: the facts the book has established, kept automatically from each accepted draft (with the chapter and
 * answers they come from). The author edits, locks and deletes them; new drafts are checked against locked ones.
 */
export function ContinuityPanel() {
  return <BookSection id="continuity" title="Continuity">{(book) => <Notes bookId={book.id} />}</BookSection>;
}

function Notes({ bookId }: { bookId: string }) {
  const { client, chapterId } = useSession();
  const notes = useLoad(() => client.listContinuityNotes({ params: { bookId } }), [client, bookId]);
  const toc = useLoad(() => client.getToc({ params: { bookId } }), [client, bookId]);
  const chapters = (toc.data?.chapters ?? []).flatMap((c) => [{ id: c.id, title: c.title }, ...c.children.map((s) => ({ id: s.id, title: s.title }))]);
  // An accept starts the extraction: following the open chapter's shows the notes as soon as it is done.
  const [from, setFrom] = useState<string | null>(chapterId);
  const source = from ?? chapters[0]?.id ?? null;
  const job = useJob('continuity.extract', bookId, source, () => notes.reload());
  const [error, setError] = useState<unknown>(null);
  const chapterTitle = new Map(chapters.map((c) => [c.id, c.title]));
  const update = () => source && void job.start(() => client.extractContinuity({ params: { bookId, chapterId: source }, body: {} }));

  async function act(work: () => Promise<unknown>) {
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    }
    notes.reload();
  }

  const items = notes.data?.items ?? [];
  return (
    <div>
      <p className="aa-hint">
        Kept automatically from each draft you accept: people, places, terms, dates, numbers and promises to the reader. Lock a
        note to have every new draft checked against it; a note you locked or edited is never replaced. A note you delete is
        not suggested again; to have it back, restore it from Deleted notes below.
      </p>
      <JobProgress job={unlessSucceeded(job.job)} label="Continuity notes" onCancel={() => void job.cancel()} onRetry={update} />
      {job.error ? <ErrorNotice error={job.error} onRetry={update} onDismiss={job.clearError} /> : null}
      {notes.error ? <ErrorNotice error={notes.error} onRetry={notes.reload} /> : null}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {notes.data && items.length === 0 && !job.running && (
        <p className="aa-muted">No notes yet: they appear when you accept a chapter’s draft, or add one below.</p>
      )}
      {CONTINUITY_KINDS.filter((kind) => items.some((note) => note.kind === kind)).map((kind) => (
        <section key={kind} aria-label={KIND_HEADINGS[kind]}>
          <h3>{KIND_HEADINGS[kind]}</h3>
          <ul className="aa-notes">
            {items.filter((note) => note.kind === kind).map((note) => (
              <NoteItem key={note.id} note={note} chapterTitle={note.source.chapterId ? chapterTitle.get(note.source.chapterId) ?? null : null}
                onLock={(locked) => act(() => client.updateContinuityNote({ params: { bookId, noteId: note.id }, body: { version: note.version, locked } }))}
                onSave={(change) => act(() => client.updateContinuityNote({ params: { bookId, noteId: note.id }, body: { version: note.version, ...change } }))}
                onDelete={() => act(() => client.deleteContinuityNote({ params: { bookId, noteId: note.id } }))} />
            ))}
          </ul>
        </section>
      ))}
      <AddNote onAdd={(body) => act(() => client.createContinuityNote({ params: { bookId }, body }))} />
      <DeletedNotes bookId={bookId} onRestored={notes.reload} />
      {chapters.length > 0 && (
        <form className="aa-form" aria-label="Update the notes from a chapter" onSubmit={(e) => { e.preventDefault(); update(); }}>
          <label>Chapter
            <select name="continuityChapter" dir="auto" value={source ?? ''} onChange={(e) => setFrom(e.target.value)}>
              {chapters.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
            </select>
          </label>
          <button type="submit" disabled={job.running}>Update the notes from its accepted draft</button>
          <p className="aa-hint">Accepting a draft does this by itself; do it again after a failure, or to start over from the draft (notes you deleted stay deleted).</p>
        </form>
      )}
    </div>
  );
}

function NoteItem({ note, chapterTitle, onLock, onSave, onDelete }: {
  note: ContinuityNote;
  chapterTitle: string | null;
  onLock: (locked: boolean) => Promise<void>;
  onSave: (change: { subject: string; detail: string }) => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [subject, setSubject] = useState(note.subject);
  const [detail, setDetail] = useState(note.detail);
  const source = note.source.chapterId
    ? `From ${chapterTitle ? `“${chapterTitle}”` : 'a chapter'}${note.source.answers.length > 0 ? `, ${note.source.answers.length} of your answers` : ''}`
    : 'Added by you';
  return (
    <li className={`aa-note${note.locked ? ' aa-note-locked' : ''}`} data-note-id={note.id} data-locked={note.locked}>
      {editing ? (
        <form className="aa-form" aria-label={`Edit ${note.subject}`} onSubmit={(e) => {
          e.preventDefault();
          void onSave({ subject, detail }).then(() => setEditing(false));
        }}>
          <label>Name or term<input value={subject} maxLength={LIMITS.continuitySubjectMax} required dir="auto" onChange={(e) => setSubject(e.target.value)} /></label>
          <label>What the book says<textarea value={detail} rows={3} maxLength={LIMITS.continuityDetailMax} required dir="auto" onChange={(e) => setDetail(e.target.value)} /></label>
          <div className="aa-row">
            <button type="submit">Save</button>
            <button type="button" className="aa-link" onClick={() => setEditing(false)}>Cancel</button>
          </div>
        </form>
      ) : (
        <>
          <p dir="auto"><strong>{note.subject}</strong>{note.locked && <span className="aa-badge aa-locked">locked</span>}</p>
          <p dir="auto">{note.detail}</p>
          <p className="aa-muted">{source}{note.edited ? ' · edited by you' : ''} <OfflineBadge generatedBy={note.generatedBy} /></p>
          <div className="aa-row">
            <button type="button" aria-pressed={note.locked} onClick={() => void onLock(!note.locked)}>{note.locked ? 'Unlock' : 'Lock'}</button>
            <button type="button" className="aa-link" onClick={() => setEditing(true)}>Edit</button>
            {confirming
              ? <button type="button" className="aa-link aa-danger" onClick={() => void onDelete()}>Yes, delete it</button>
              : <button type="button" className="aa-link" onClick={() => setConfirming(true)}>Delete</button>}
          </div>
        </>
      )}
    </li>
  );
}

function AddNote({ onAdd }: { onAdd: (body: { kind: ContinuityKind; subject: string; detail: string; locked: boolean }) => Promise<void> }) {
  const [kind, setKind] = useState<ContinuityKind>('person');
  const [subject, setSubject] = useState('');
  const [detail, setDetail] = useState('');
  return (
    <details className="aa-add-note">
      <summary>Add a note of your own</summary>
      <form className="aa-form" aria-label="Add a note" onSubmit={(e) => {
        e.preventDefault();
        void onAdd({ kind, subject, detail, locked: true }).then(() => {
          setSubject('');
          setDetail('');
        });
      }}>
        <label>Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as ContinuityKind)}>
            {CONTINUITY_KINDS.map((k) => <option key={k} value={k}>{KIND_NAMES[k]}</option>)}
          </select>
        </label>
        <label>Name or term<input value={subject} maxLength={LIMITS.continuitySubjectMax} required dir="auto" onChange={(e) => setSubject(e.target.value)} /></label>
        <label>What the book says<textarea value={detail} rows={3} maxLength={LIMITS.continuityDetailMax} required dir="auto" onChange={(e) => setDetail(e.target.value)} /></label>
        <p className="aa-hint">Notes you add are locked: new drafts are checked against them.</p>
        <button type="submit">Add the note</button>
      </form>
    </details>
  );
}
