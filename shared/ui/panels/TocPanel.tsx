import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../../client/api-error.js';
import type { Toc } from '../../schemas/chapters.js';
import { useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { tocBody, type TocChapter } from '../core/toc-edit.js';
import { BookSection } from '../components/BookSection.js';
import { ConflictChooser } from '../components/ConflictChooser.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TocProposalView } from './TocProposalView.js';
import { TocTree } from './TocTree.js';

/** TOC editor: reorder (keyboard and drag), add, rename, archive/restore, and proposals with a visible diff. */
export function TocPanel() {
  return <BookSection id="toc" title="Table of contents">{(book) => <TocEditor bookId={book.id} />}</BookSection>;
}

/** How long "…: saved" stays in the status line. */
const STATUS_SHOWN_MS = 5_000;

const outline = (chapters: readonly TocChapter[]) =>
  chapters.map((c, i) => [`${i + 1}. ${c.title}`, ...c.children.map((s) => `   – ${s.title}`)].join('\n')).join('\n');

function TocEditor({ bookId }: { bookId: string }) {
  const { client } = useSession();
  const toc = useLoad<Toc>(() => client.getToc({ params: { bookId } }), [client, bookId]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ mine: TocChapter[]; theirs: Toc } | null>(null);
  const [status, setStatus] = useState('');
  const [newTitle, setNewTitle] = useState('');
  // A saved change is announced, then the line goes (it would read as stale later); failures stay.
  useEffect(() => {
    if (!status.endsWith(': saved') && status !== 'Proposal applied') return;
    const timer = setTimeout(() => setStatus(''), STATUS_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [status]);
  // The edited tree awaiting the server, so a conflict can show it beside the server's.
  const pending = useRef<TocChapter[] | null>(null);

  async function act(what: string, action: () => Promise<Toc | void>) {
    setBusy(true);
    setError(null);
    setStatus(`${what}…`);
    try {
      const next = await action();
      pending.current = null;
      if (next) toc.setData(next);
      else toc.reload();
      setStatus(`${what}: saved`);
    } catch (caught) {
      setStatus(`${what}: not saved`);
      const current = isApiError(caught) && caught.code === 'CONFLICT' ? (caught.details as { current?: Toc } | null)?.current : null;
      if (current?.chapters) setConflict({ mine: pending.current ?? current.chapters, theirs: current });
      else {
        setError(caught);
        toc.reload();
      }
    } finally {
      setBusy(false);
    }
  }

  function saveTree(what: string, chapters: TocChapter[], version: number) {
    if (!toc.data) return;
    pending.current = chapters;
    toc.setData({ ...toc.data, chapters });
    return act(what, () => client.putToc({ params: { bookId }, body: tocBody(version, chapters) }));
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const title = newTitle.trim();
    if (!title) return;
    await act('Chapter added', async () => {
      await client.createChapter({ params: { bookId }, body: { title } });
    });
    setNewTitle('');
  }

  const data = toc.data;
  return (
    <div>
      <p className="aa-live" role="status" aria-live="polite">{status}</p>
      {toc.error ? <ErrorNotice error={toc.error} onRetry={toc.reload} /> : null}
      {error ? <ErrorNotice error={error} onRetry={toc.reload} onDismiss={() => setError(null)} /> : null}
      {conflict && (
        <ConflictChooser what="table of contents" mine={outline(conflict.mine)} theirs={outline(conflict.theirs.chapters)}
          onChoose={(choice) => {
            const { mine, theirs } = conflict;
            setConflict(null);
            if (choice === 'theirs') toc.setData(theirs);
            else void saveTree('Order kept', mine, theirs.version);
          }} />
      )}
      {data && (
        <>
          <TocTree chapters={data.chapters} busy={busy}
            onChange={(what, chapters) => void saveTree(what, chapters, data.version)}
            onArchive={(id, title) => void act(`“${title}” archived`, () => client.deleteChapter({ params: { bookId, chapterId: id } }))} />
          <form className="aa-row aa-field-row" onSubmit={(e) => void add(e)} aria-label="Add a chapter">
            <label className="aa-grow">
              New chapter title
              <input name="newChapter" dir="auto" value={newTitle} maxLength={300} onChange={(e) => setNewTitle(e.target.value)} />
            </label>
            <button type="submit" disabled={busy || !newTitle.trim()}>Add chapter</button>
          </form>
          {data.archived.length > 0 && (
            <section aria-label="Archived chapters" className="aa-subsection">
              <h3>Archived</h3>
              <ul className="aa-list">
                {data.archived.map((c) => (
                  <li key={c.id} className="aa-row aa-space">
                    <span className="aa-archived-title" dir="auto">{c.title}</span>
                    <button type="button" disabled={busy} aria-label={`Restore ${c.title}`}
                      onClick={() => void act(`“${c.title}” restored`, async () => { await client.restoreChapter({ params: { bookId, chapterId: c.id } }); })}>
                      Restore
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <TocProposalView bookId={bookId} toc={data} onApplied={(next) => { toc.setData(next); setStatus('Proposal applied'); }} />
        </>
      )}
    </div>
  );
}
