import { useState } from 'react';
import type { Book } from '../../schemas/books.js';
import { useSession } from '../app/session.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { STORAGE_KEYS } from '../panel-host.js';
import { count } from '../core/error-view.js';

/** Import from the open document: its headings become a TOC proposal, its text material for the summary. */
export function DocImport({ book, onMaterial }: { book: Book; onMaterial: (text: string) => void }) {
  const { client, doc, host } = useSession();
  const [result, setResult] = useState<{ chapters: number; material: string; words: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!doc) return null;

  async function run() {
    if (!doc) return;
    setBusy(true);
    setError(null);
    try {
      // The add-on reads the outline itself; elsewhere the API reads the doc with the author's Google token.
      const outline = host.readOutline ? { paragraphs: await host.readOutline() } : undefined;
      const googleToken = outline ? null : await host.getGoogleToken();
      const imported = await client.importDoc({
        params: { bookId: book.id }, body: { documentId: doc.documentId, tabId: doc.tabId ?? null, ...(outline ? { outline } : {}) },
        headers: googleToken ? { 'x-google-access-token': googleToken } : {},
      });
      if (imported.proposalId) await host.settings.set(STORAGE_KEYS.proposal(book.id), imported.proposalId);
      setResult({ chapters: imported.chapters.length, material: imported.material, words: imported.words });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-label="Import from the document" className="aa-subsection">
      <h3>From “{doc.title}”</h3>
      <button type="button" disabled={busy} onClick={() => void run()}>Import headings and text</button>
      {result && (
        <div role="status">
          <p>{importSummary(result.chapters, result.words)}</p>
          {result.material && <button type="button" onClick={() => onMaterial(result.material)}>Add the text to the summary</button>}
        </div>
      )}
      {error ? <ErrorNotice error={error} onRetry={() => void run()} /> : null}
    </section>
  );
}

/** What an import found: the chapters its headings gave (or why none), and how much body text. */
function importSummary(chapters: number, words: number): string {
  const outline = chapters > 0
    ? `${count(chapters, 'chapter', 'chapters')} proposed from its headings: review them under TOC.`
    : 'No chapters proposed: the document has no headings (paragraphs styled Heading 1 or Heading 2 become chapters).';
  return `${outline} ${words > 0 ? `${count(words, 'word', 'words')} of text found.` : 'No body text found.'}`;
}
