import { useEffect, useState } from 'react';
import { ApiError } from '../../client/api-error.js';
import { useLoad } from '../app/hooks.js';
import { useGuide } from '../app/guide.js';
import { useSession, type PanelSession } from '../app/session.js';
import { tocOrder } from '../core/toc-edit.js';
import { planChapter } from '../../doc-plan.js';
import { chapterOptions, type ChapterOption } from '../components/ChapterPicker.js';
import { BookSection } from '../components/BookSection.js';
import { DocPreviewView } from '../components/DocPreviewView.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { SelectionActions } from './SelectionActions.js';
import type { DocPreview, HostChapterResult } from '../panel-host.js';
import type { Toc } from '../../schemas/chapters.js';

type ChapterResult = Pick<HostChapterResult, 'chapterId' | 'status' | 'code' | 'message' | 'currentText'>;

/** Write to doc: per chapter or the whole book, with the result per chapter (and the local preview on the web). */
export function WritePanel() {
  return <BookSection id="write" title="Write to the document">{(book) => <Writer bookId={book.id} />}</BookSection>;
}

/** Writes accepted drafts: through the host when it writes itself (add-on, web preview), else through the API. */
async function writeChapters(
  session: PanelSession, bookId: string, toc: Toc, chosen: ChapterOption[], accepted: Map<string, string>, overwrite: boolean, atCursor: boolean,
) {
  const { client, host, doc } = session;
  if (host.writeToDoc) {
    // What any surface last wrote into this document, so the host's writer can tell the author's edits from ours.
    const status = doc ? await client.docStatus({ params: { bookId } }) : null;
    const written = new Map((status?.documentId === doc?.documentId ? status?.chapters ?? [] : []).map((c) => [c.chapterId, c.textHash]));
    const chapters = await Promise.all(chosen.map(async (chapter) => {
      const draft = await client.getDraft({ params: { bookId, chapterId: chapter.id, draftId: accepted.get(chapter.id)! } });
      return {
        chapterId: chapter.id, title: chapter.title, isSection: chapter.isSection, blocks: draft.blocks,
        paragraphs: planChapter(chapter.title, draft.blocks, chapter.isSection), expectedTextHash: written.get(chapter.id) ?? null,
      };
    }));
    const result = await host.writeToDoc({ bookId, documentId: doc?.documentId ?? null, tocOrder: tocOrder(toc.chapters), chapters, overwrite, mode: atCursor ? 'cursor' : 'auto' });
    const recorded = result.chapters.filter((c) => c.status === 'written' && c.rangeName && c.textHash);
    if (doc && recorded.length > 0) {
      // So GET …/doc is right on every surface, the host's own writes are recorded with the API.
      await client.recordDocWrites({
        params: { bookId },
        body: { documentId: doc.documentId, tabId: doc.tabId ?? null, revisionId: result.revisionId, chapters: recorded.map((c) => ({ chapterId: c.chapterId, rangeName: c.rangeName!, textHash: c.textHash! })) },
      });
    }
    return { chapters: result.chapters as ChapterResult[], preview: result.preview ?? null };
  }
  if (!doc) throw new ApiError({ status: 0, code: 'DOC_NOT_LINKED', message: 'Open the panel beside a Google Doc to write into it.' });
  const googleToken = await host.getGoogleToken();
  if (!googleToken) throw new ApiError({ status: 0, code: 'GOOGLE_AUTH_REQUIRED', message: 'No Google access token.' });
  const result = await client.writeDoc({
    params: { bookId }, body: { documentId: doc.documentId, tabId: doc.tabId ?? null, chapterIds: chosen.map((c) => c.id), overwrite },
    headers: { 'x-google-access-token': googleToken },
  });
  return { chapters: result.chapters as ChapterResult[], preview: null };
}

function Writer({ bookId }: { bookId: string }) {
  const session = useSession();
  const { client, host, doc, touched } = session;
  const { next } = useGuide();
  const toc = useLoad<Toc>(() => client.getToc({ params: { bookId } }), [client, bookId]);
  const progress = useLoad(() => client.bookProgress({ params: { bookId } }), [client, bookId]);
  const [preview, setPreview] = useState<DocPreview | null>(null);
  const [results, setResults] = useState<ChapterResult[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [lastRun, setLastRun] = useState<{ ids: string[] } | null>(null);
  const [atCursor, setAtCursor] = useState(false);

  useEffect(() => {
    void host.readDocPreview?.(bookId).then(setPreview);
  }, [host, bookId]);

  const options = chapterOptions(toc.data);
  const accepted = new Map<string, string>();
  for (const c of progress.data?.chapters ?? []) if (c.acceptedDraftId) accepted.set(c.chapterId, c.acceptedDraftId);
  const ready = options.filter((o) => accepted.has(o.id));
  const titles = new Map(options.map((o) => [o.id, o.title]));

  async function write(ids: string[], overwrite = false) {
    if (!toc.data) return;
    setBusy(true);
    setError(null);
    setLastRun({ ids });
    try {
      const outcome = await writeChapters(session, bookId, toc.data, options.filter((o) => ids.includes(o.id)), accepted, overwrite, atCursor && ids.length === 1);
      setResults(outcome.chapters);
      if (outcome.preview) setPreview(outcome.preview);
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
      <ul className="aa-list" aria-label="Chapters">
        {options.map((o) => (
          <li key={o.id} className="aa-row aa-space">
            <span className={o.isSection ? 'aa-indent' : ''} dir="auto">{o.title}</span>
            {accepted.has(o.id)
              ? <button type="button" className={next?.action === 'write.chapter' && next.chapterId === o.id ? 'aa-primary' : undefined} disabled={busy} aria-label={`Write ${o.title}`} onClick={() => void write([o.id])}>Write</button>
              : <span className="aa-muted">no accepted draft</span>}
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
      {error ? <ErrorNotice error={error} onRetry={lastRun ? () => void write(lastRun.ids) : undefined} onDismiss={() => setError(null)} /> : null}
      {results && (
        <section aria-label="Write result" className="aa-subsection aa-write-result">
          <h3>Result</h3>
          <ul className="aa-list">
            {results.map((r) => (
              <li key={r.chapterId} data-write-status={r.status}>
                <strong dir="auto">{titles.get(r.chapterId) ?? r.chapterId}</strong>: {r.status === 'written' ? 'written' : 'skipped'}
                {r.status === 'skipped' && r.code === 'DOC_CHAPTER_EDITED' && (
                  <div>
                    <p>You edited this chapter in the document, so it was left alone.</p>
                    {r.currentText && <pre className="aa-conflict-theirs">{r.currentText}</pre>}
                    <button type="button" onClick={() => void write([r.chapterId], true)}>Replace it anyway</button>
                  </div>
                )}
                {r.status === 'skipped' && r.code !== 'DOC_CHAPTER_EDITED' && <span className="aa-muted"> ({r.code ?? 'not written'})</span>}
              </li>
            ))}
          </ul>
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
