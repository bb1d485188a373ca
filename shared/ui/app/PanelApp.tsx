import { useEffect, useState } from 'react';
import type { Book } from '../../schemas/books.js';
import { STORAGE_KEYS, type PanelHost } from '../panel-host.js';
import { BookBriefPanel } from '../panels/BookBriefPanel.js';
import { ConnectPanel } from '../panels/ConnectPanel.js';
import { DraftPanel } from '../panels/DraftPanel.js';
import { InterviewPanel } from '../panels/InterviewPanel.js';
import { QuestionsPanel } from '../panels/QuestionsPanel.js';
import { TocPanel } from '../panels/TocPanel.js';
import { UsagePanel } from '../panels/UsagePanel.js';
import { WritePanel } from '../panels/WritePanel.js';
import { useLoad } from './hooks.js';
import { SessionProvider, useSession } from './session.js';

/** The panels in journey order; `id` is also the settings value of the open panel. */
export const PANELS = [
  { id: 'connect', label: 'Connect', Component: null },
  { id: 'book', label: 'Book', Component: BookBriefPanel },
  { id: 'interview', label: 'Interview', Component: InterviewPanel },
  { id: 'toc', label: 'TOC', Component: TocPanel },
  { id: 'questions', label: 'Questions', Component: QuestionsPanel },
  { id: 'draft', label: 'Draft', Component: DraftPanel },
  { id: 'write', label: 'Write', Component: WritePanel },
  { id: 'usage', label: 'Usage', Component: UsagePanel },
] as const;
export type PanelId = (typeof PANELS)[number]['id'];

/** The whole panel UI for one host: every surface renders `<PanelApp host={…} />` and nothing else. */
export function PanelApp({ host }: { host: PanelHost }) {
  return (
    <SessionProvider host={host}>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const session = useSession();
  const { connected, book, host, client, doc } = session;
  const [panel, setPanel] = useState<PanelId>(connected ? 'book' : 'connect');
  const meta = useLoad(() => client.meta(), [client]);

  useEffect(() => {
    if (!connected) setPanel('connect');
  }, [connected]);

  // Reopen the book the author had open here (for this document), or the one linked to this document.
  useEffect(() => {
    if (!connected || book) return;
    let live = true;
    void (async () => {
      const id = await host.settings.get<string>(STORAGE_KEYS.book(doc?.documentId ?? null));
      let found: Book | null = null;
      if (id) found = await client.getBook({ params: { bookId: id } }).catch(() => null);
      if (!found && doc) found = (await client.listBooks({ query: { documentId: doc.documentId, limit: 1 } }).catch(() => null))?.items[0] ?? null;
      if (live && found) session.setBook(found);
    })();
    return () => {
      live = false;
    };
    // Only when the connection, document or open book changes.
  }, [connected, book?.id, doc?.documentId, client]);

  const current = PANELS.find((p) => p.id === panel) ?? PANELS[0];
  return (
    <div className="aa-app">
      <header className="aa-header">
        <span className="aa-brand">Auto-Author</span>
        {book && <span className="aa-book-title" title={book.title}>{book.title}</span>}
        {meta.data?.ai.offline && <span className="aa-badge aa-offline" title="No AI model is configured: questions and drafts come from your own answers">offline AI</span>}
      </header>
      <nav className="aa-nav" aria-label="Panels">
        {PANELS.map((p) => (
          <button key={p.id} type="button" aria-current={p.id === panel ? 'page' : undefined}
            disabled={!connected && p.id !== 'connect'} onClick={() => setPanel(p.id)}>
            {p.label}
          </button>
        ))}
      </nav>
      <main className="aa-main">
        {current.Component ? <current.Component /> : <ConnectPanel onConnected={() => setPanel('book')} />}
      </main>
    </div>
  );
}
