import { useState } from 'react';
import type { Job } from '../../schemas/ai.js';
import type { Toc } from '../../schemas/chapters.js';
import { EXPORT_FORMATS, ExportJobResultSchema, type Export, type ExportFormat } from '../../schemas/exports.js';
import { useJob, useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { BookSection } from '../components/BookSection.js';
import { chapterOptions, type ChapterOption } from '../components/ChapterPicker.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { JobProgress } from '../components/JobProgress.js';
import { formatTime } from '../core/error-view.js';
import { saveFile } from '../core/save-file.js';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  docx: 'Word (DOCX)',
  pdf: 'PDF',
  epub: 'E-book (EPUB)',
  markdown: 'Markdown',
};

const kb = (bytes: number) => (bytes < 1_000_000 ? `${Math.max(1, Math.round(bytes / 1000))} KB` : `${(bytes / 1_000_000).toFixed(1)} MB`);

/**
 * Why an export of this choice would be refused (nothing in it has an accepted draft), in words that say what to do;
 * null when there is something to export. Known before asking, so the button waits and says why.
 */
function whyNothingToExport(options: ChapterOption[], chosen: ChapterOption[], accepted: ReadonlySet<string>): string | null {
  if (options.length === 0) return 'This book has no chapters yet: propose or add them under TOC, then accept a draft of each.';
  if (chosen.length === 0) return 'Choose at least one chapter to export.';
  if (chosen.some((o) => accepted.has(o.id))) return null;
  return accepted.size === 0
    ? 'No chapter has an accepted draft yet: accept a draft of a chapter under Draft, then export.'
    : 'None of the chosen chapters has an accepted draft yet: choose one that has, or accept a draft under Draft.';
}

/** Export: the accepted drafts as a DOCX, PDF, EPUB or Markdown file, made by a job and kept for 7 days. */
export function ExportPanel() {
  return <BookSection id="export" title="Export the book">{(book) => <Exporter bookId={book.id} />}</BookSection>;
}

function Exporter({ bookId }: { bookId: string }) {
  const { client } = useSession();
  const toc = useLoad<Toc>(() => client.getToc({ params: { bookId } }), [client, bookId]);
  const progress = useLoad(() => client.bookProgress({ params: { bookId } }), [client, bookId]);
  const exports = useLoad(() => client.listExports({ params: { bookId }, query: { limit: 10 } }), [client, bookId]);
  const job = useJob('export.generate', bookId, null, () => exports.reload());
  const [format, setFormat] = useState<ExportFormat>('docx');
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const options = chapterOptions(toc.data);
  const accepted = new Set((progress.data?.chapters ?? []).filter((c) => c.acceptedDraftId).map((c) => c.chapterId));
  const chosen = options.filter((o) => !left.has(o.id));
  const nothingToExport = toc.data && progress.data ? whyNothingToExport(options, chosen, accepted) : null;
  const running = job.running;
  const toggle = (id: string) => setLeft((current) => {
    const next = new Set(current);
    if (!next.delete(id)) next.add(id);
    return next;
  });

  async function download(item: Pick<Export, 'id' | 'filename'>) {
    setDownloadError(null);
    try {
      const file = await client.downloadExport({ params: { bookId, exportId: item.id } });
      saveFile(file.blob, file.filename ?? item.filename);
    } catch (caught) {
      setDownloadError(caught);
    }
  }

  const start = () => job.start(() => client.startExport({
    params: { bookId }, body: { format, ...(left.size > 0 ? { chapterIds: chosen.map((o) => o.id) } : {}) },
  }));

  return (
    <div>
      <p className="aa-muted">
        Makes a file of the accepted drafts, in the order of the TOC, with a title page and contents. Files are kept for 7 days.
      </p>
      {toc.error ? <ErrorNotice error={toc.error} onRetry={toc.reload} /> : null}
      <fieldset className="aa-fieldset">
        <legend>Format</legend>
        <div className="aa-row aa-export-formats">
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className="aa-inline">
              <input type="radio" name="aa-export-format" value={f} checked={format === f} onChange={() => setFormat(f)} /> {FORMAT_LABELS[f]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="aa-fieldset">
        <legend>Chapters ({chosen.length} of {options.length})</legend>
        <ul className="aa-list" aria-label="Chapters to export">
          {options.map((o) => (
            <li key={o.id} className="aa-export-chapter">
              <label className={`aa-inline${o.isSection ? ' aa-indent' : ''}`}>
                <input type="checkbox" checked={!left.has(o.id)} onChange={() => toggle(o.id)} /> <span dir="auto">{o.title}</span>
              </label>
              {progress.data && !accepted.has(o.id) && <span className="aa-muted">no accepted draft: will be skipped</span>}
            </li>
          ))}
        </ul>
      </fieldset>
      <button type="button" className="aa-primary" disabled={running || chosen.length === 0 || nothingToExport !== null} onClick={() => void start()}
        aria-describedby={nothingToExport ? 'aa-export-nothing' : undefined}>
        Export {FORMAT_LABELS[format]}
      </button>
      {nothingToExport && <p id="aa-export-nothing" className="aa-hint" role="status">{nothingToExport}</p>}
      {job.error ? <ErrorNotice error={job.error} onDismiss={job.clearError} /> : null}
      <JobProgress job={job.job} label="Export" onCancel={() => void job.cancel()} onRetry={() => void start()} />
      {job.job?.status === 'succeeded' && <ExportResult job={job.job} titles={new Map(options.map((o) => [o.id, o.title]))} onDownload={download} exports={exports.data?.items ?? []} />}
      {downloadError ? <ErrorNotice error={downloadError} onDismiss={() => setDownloadError(null)} /> : null}
      {(exports.data?.items.length ?? 0) > 0 && (
        <section aria-label="Recent exports" className="aa-subsection">
          <h3>Recent exports</h3>
          <ul className="aa-list">
            {exports.data!.items.map((item) => (
              <li key={item.id} className="aa-row aa-space" data-export-format={item.format}>
                <span><span dir="auto">{item.filename}</span> <span className="aa-muted">· {FORMAT_LABELS[item.format] ?? item.format} · {kb(item.bytes)} · {formatTime(item.createdAt)}</span></span>
                <button type="button" onClick={() => void download(item)}>Download</button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** The finished export: its download, and every chapter it left out and why. */
function ExportResult({ job, titles, onDownload, exports }: {
  job: Job; titles: Map<string, string>; onDownload: (item: Pick<Export, 'id' | 'filename'>) => Promise<void>; exports: Export[];
}) {
  const parsed = ExportJobResultSchema.safeParse(job.result);
  if (!parsed.success) return null;
  const result = parsed.data;
  const file = exports.find((item) => item.id === result.exportId);
  return (
    <section aria-label="Export result" className="aa-subsection aa-export-result">
      <p>
        {result.chapters} {result.chapters === 1 ? 'chapter' : 'chapters'} exported ({kb(result.bytes)}).{' '}
        <button type="button" className="aa-primary" onClick={() => void onDownload({ id: result.exportId, filename: file?.filename ?? `book.${result.format}` })}>
          Download
        </button>
      </p>
      {result.skipped.length > 0 && (
        <>
          <p>Left out:</p>
          <ul className="aa-list" aria-label="Skipped chapters">
            {result.skipped.map((s) => (
              <li key={s.chapterId} data-skip-reason={s.reason}>
                <strong dir="auto">{s.title ?? titles.get(s.chapterId) ?? 'A chapter no longer in the book'}</strong>:{' '}
                {s.reason === 'no_accepted_draft' ? 'no accepted draft yet — accept one under Draft, then export again.' : 'no longer in the book.'}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
