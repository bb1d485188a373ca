import { useEffect, useState } from 'react';
import { useLoad } from '../app/hooks.js';
import { useGuide } from '../app/guide.js';
import { useSession } from '../app/session.js';
import { chapterOptions } from '../components/ChapterPicker.js';
import { BookSection, NoChapters } from '../components/BookSection.js';
import { DocPreviewView } from '../components/DocPreviewView.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ChapterActions } from './ChapterActions.js';
import { writeChapters, writtenChapters, type ChapterResult } from './doc-writes.js';
import { SelectionActions } from './SelectionActions.js';
import type { Draft } from '../../schemas/authoring.js';
import type { DocPreview } from '../panel-host.js';
import type { Toc } from '../../schemas/chapters.js';

/** Write to doc: per chapter or the whole book, with the result per chapter (and the local preview on the web). */
export function WritePanel() {
  return <BookSection id="write" title="Write to the document">{(book) => <Writer bookId={book.id} />}</BookSection>;
}

function Writer({ bookId }: { bookId: string }) {
  const session = useSession();
  const { client, host, doc, touched } = session;
  const { next } = useGuide();
  const toc = useLoad<Toc>(() => client.getToc({ params: { bookId } }), [client, bookId]);
  const progress = useLoad(() => client.bookProgress({ params: { bookId } }), [client, bookId]);
  const [preview, setPreview] = useState<DocPreview | null>(null);
  const [results, setResults] = useState<ChapterResult[] | null>(null);
  // Written into the document, but the server did not hear of it (so the list may not mark those chapters yet).
  const [unrecorded, setUnrecorded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [lastRun, setLastRun] = useState<{ ids: string[]; replacing?: Draft } | null>(null);
  const [atCursor, setAtCursor] = useState(false);
  // The chapter whose actions are open, and the chapter whose new version the last write put in (or tried to).
  const [changing, setChanging] = useState<string | null>(null);
  const [replaced, setReplaced] = useState<Draft | null>(null);
  const written = useLoad(() => writtenChapters(session, bookId), [client, host, bookId, doc?.documentId]);

  useEffect(() => {
    void host.readDocPreview?.(bookId).then(setPreview);
  }, [host, bookId]);

  const options = chapterOptions(toc.data);
  const accepted = new Map<string, string>();
  for (const c of progress.data?.chapters ?? []) if (c.acceptedDraftId) accepted.set(c.chapterId, c.acceptedDraftId);
  if (replaced) accepted.set(replaced.chapterId, replaced.id);
  const ready = options.filter((o) => accepted.has(o.id));
  const titles = new Map(options.map((o) => [o.id, o.title]));

  /** Writes chapters; `replacing` is a new version the author chose for its chapter: accepted first, then written. */
  async function write(ids: string[], overwrite = false, replacing?: Draft) {
    if (!toc.data) return;
    setBusy(true);
    setError(null);
    setLastRun({ ids, replacing });
    try {
      if (replacing) {
        await client.acceptDraft({ params: { bookId, chapterId: replacing.chapterId, draftId: replacing.id } });
        accepted.set(replacing.chapterId, replacing.id);
        setReplaced(replacing);
        setChanging(null);
        progress.reload();
      }
      const outcome = await writeChapters(session, bookId, toc.data, options.filter((o) => ids.includes(o.id)), accepted, overwrite, atCursor && ids.length === 1);
      setResults(outcome.chapters);
      setUnrecorded(outcome.unrecorded);
      if (outcome.preview) setPreview(outcome.preview);
      written.reload();
      // The web preview's writes never reach the API: the overview re-reads the preview.
      touched();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <p className="aa-muted">
        {host.capabilities.realDocument
          ? doc ? <>Writes into “{doc.title}”.</> : 'Open the panel beside a Google Doc to write into it.'
          : 'This preview has no Google Doc: chapters are written into the local preview below, exactly as they would be in the document.'}
      </p>
      {toc.error ? <ErrorNotice error={toc.error} onRetry={toc.reload} /> : null}
      {progress.error ? <ErrorNotice error={progress.error} onRetry={progress.reload} /> : null}
      {toc.data && options.length === 0 && <NoChapters />}
      <ul className="aa-list" aria-label="Chapters">
        {options.map((o) => (
          <li key={o.id} className="aa-row aa-space" data-written={written.data?.has(o.id) ? 'true' : undefined}>
            <span className={o.isSection ? 'aa-indent' : ''} dir="auto">
              {o.title}{written.data?.has(o.id) && <span className="aa-muted"> · in the document</span>}
            </span>
            {accepted.has(o.id)
              ? (
                <span className="aa-row">
                  {written.data?.has(o.id) && (
                    <button type="button" className="aa-small" aria-expanded={changing === o.id} aria-label={`Change ${o.title}`}
                      onClick={() => setChanging(changing === o.id ? null : o.id)}>Change</button>
                  )}
                  <button type="button" className={next?.action === 'write.chapter' && next.chapterId === o.id ? 'aa-primary' : undefined} disabled={busy} aria-label={`Write ${o.title}`} onClick={() => void write([o.id])}>Write</button>
                </span>
              )
              : <span className="aa-muted">no accepted draft</span>}
            {changing === o.id && accepted.has(o.id) && (
              <ChapterActions key={accepted.get(o.id)} bookId={bookId} chapter={o} acceptedDraftId={accepted.get(o.id)!} busy={busy}
                onReplace={(draft) => void write([o.id], false, draft)} onClose={() => setChanging(null)} />
            )}
          </li>
        ))}
      </ul>
      {host.capabilities.insertAtCursor && (
        <label className="aa-inline">
          <input type="checkbox" checked={atCursor} onChange={(e) => setAtCursor(e.target.checked)} />
          Write a single chapter at the cursor
        </label>
      )}
      <button type="button" disabled={busy || ready.length === 0} onClick={() => void write(ready.map((o) => o.id))}>
        Write whole book ({ready.length} {ready.length === 1 ? 'chapter' : 'chapters'})
      </button>
      <p role="status" aria-live="polite" className="aa-live">{busy ? 'Writing…' : ''}</p>
      {error ? <ErrorNotice error={error} onRetry={lastRun ? () => void write(lastRun.ids, false, lastRun.replacing) : undefined} onDismiss={() => setError(null)} /> : null}
      {results && (
        <section aria-label="Write result" className="aa-subsection aa-write-result">
          <h3>Result</h3>
          <ul className="aa-list">
            {results.map((r) => (
              <li key={r.chapterId} data-write-status={r.status}>
                <strong dir="auto">{titles.get(r.chapterId) ?? r.chapterId}</strong>: {r.status === 'written' ? 'written' : r.code === 'DOC_CHAPTER_EDITED' ? 'skipped' : 'not written'}
                {r.status === 'skipped' && r.code === 'DOC_CHAPTER_EDITED' && (
                  <div>
                    <p>You edited this chapter in the document, so it was left alone.</p>
                    {replaced?.chapterId === r.chapterId && <p className="aa-hint">Draft {replaced.number} is now the accepted version; the document keeps your edit unless you replace it.</p>}
                    {r.currentText && <pre className="aa-conflict-theirs">{r.currentText}</pre>}
                    <button type="button" onClick={() => void write([r.chapterId], true)}>Replace it anyway</button>
                  </div>
                )}
                {r.status === 'skipped' && r.code !== 'DOC_CHAPTER_EDITED' && <p>{r.message ?? 'It was not written.'}</p>}
                {r.status === 'written' && r.message && <p className="aa-muted">{r.message}</p>}
              </li>
            ))}
          </ul>
          {unrecorded && (
            <p className="aa-warning" role="alert">
              The document has these chapters, but the Auto-Author server did not answer when told about them, so this list may
              not show them as in the document yet. Writing them again later puts that right without copying them twice.
            </p>
          )}
        </section>
      )}
      {host.selection && <SelectionActions bookId={bookId} selection={host.selection} />}
      {preview && (
        <section aria-label="Local preview" className="aa-subsection">
          <h3>Document preview</h3>
          <DocPreviewView preview={preview} />
        </section>
      )}
    </div>
  );
}
