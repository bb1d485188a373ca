import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Book } from '../../schemas/books.js';
import { TEMPLATE_MODE } from '../../template-mode.js';
import { STORAGE_KEYS, type PanelHost } from '../panel-host.js';
import { NextStepBar } from '../components/NextStepBar.js';
import { BookBriefPanel } from '../panels/BookBriefPanel.js';
import { ConnectPanel } from '../panels/ConnectPanel.js';
import { ContinuityPanel } from '../panels/ContinuityPanel.js';
import { DraftPanel } from '../panels/DraftPanel.js';
import { ExportPanel } from '../panels/ExportPanel.js';
import { InterviewPanel } from '../panels/InterviewPanel.js';
import { QuestionsPanel } from '../panels/QuestionsPanel.js';
import { TocPanel } from '../panels/TocPanel.js';
import { UsagePanel } from '../panels/UsagePanel.js';
import { WritePanel } from '../panels/WritePanel.js';
import { GuideProvider, useGuideValue, type PanelId } from './guide.js';
import { useLoad } from './hooks.js';
import { SessionProvider, useSession } from './session.js';

export type { PanelId } from './guide.js';

/**
 * The journey's panels in order (the tab bar), and those that stand apart as icons in the header: Export (the book as
 * a file), Continuity (the book's facts, kept as drafts are accepted), Usage and Connect. (Six tabs are what fits in
 * one row at 300 px.)
 */
export const PANELS = [
  { id: 'book', label: 'Book', Component: BookBriefPanel },
  { id: 'interview', label: 'Interview', Component: InterviewPanel },
  { id: 'toc', label: 'TOC', Component: TocPanel },
  { id: 'questions', label: 'Questions', Component: QuestionsPanel },
  { id: 'draft', label: 'Draft', Component: DraftPanel },
  { id: 'write', label: 'Write', Component: WritePanel },
  { id: 'export', label: 'Export', Component: ExportPanel },
  { id: 'continuity', label: 'Continuity', Component: ContinuityPanel },
  { id: 'usage', label: 'Usage', Component: UsagePanel },
  { id: 'connect', label: 'Connect', Component: null },
] as const;

const JOURNEY = new Set<string>(['book', 'interview', 'toc', 'questions', 'draft', 'write']);
const ASIDE = new Set<string>(['export', 'continuity', 'usage', 'connect']);
const ICONS: Record<string, () => ReactElement> = { export: ExportIcon, continuity: ContinuityIcon, usage: UsageIcon, connect: ConnectIcon };
const STATE_WORDS = { done: 'done', next: 'next step', todo: '' } as const;

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
  const { connected, book, host, client, doc, setChapterId } = session;
  const [panel, setPanel] = useState<PanelId>(connected ? 'book' : 'connect');
  const meta = useLoad(() => client.meta(), [client]);

  // A reload returns to the panel the author was on (the chapter is remembered per book by the session).
  useEffect(() => {
    if (!connected) {
      setPanel('connect');
      return;
    }
    void host.settings.get<string>(STORAGE_KEYS.panel).then((saved) => {
      if (saved && PANELS.some((p) => p.id === saved)) setPanel(saved as PanelId);
    });
  }, [connected, host]);
  const go = useCallback((next: PanelId, chapterId?: string | null) => {
    if (chapterId) setChapterId(chapterId);
    setPanel(next);
    void host.settings.set(STORAGE_KEYS.panel, next);
  }, [host, setChapterId]);

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
    // Only when the connection, document or open book changes, or the server answers again after a lost connection.
  }, [connected, book?.id, doc?.documentId, client, session.connection.epoch]);

  const guide = useGuideValue(connected ? book?.id ?? null : null, panel, go);
  const current = PANELS.find((p) => p.id === panel) ?? PANELS[0];
  const tab = (p: (typeof PANELS)[number]) => {
    const state = JOURNEY.has(p.id) ? guide.states?.[p.id as keyof typeof guide.states] ?? 'todo' : null;
    return (
      <button key={p.id} type="button" className={`aa-tab${ASIDE.has(p.id) ? ' aa-tab-aside' : ''}`} aria-current={p.id === panel ? 'page' : undefined}
        data-panel={p.id} data-step-state={state ?? undefined} disabled={!connected && p.id !== 'connect'} onClick={() => go(p.id)}
        title={ASIDE.has(p.id) ? p.label : undefined}>
        {ICONS[p.id]?.() ?? null}
        <span className={ASIDE.has(p.id) ? 'aa-sr-only' : undefined}>{p.label}</span>
        {state && state !== 'todo' && <span className="aa-sr-only"> ({STATE_WORDS[state]})</span>}
      </button>
    );
  };
  return (
    <GuideProvider value={guide}>
      <div className="aa-app">
        <header className="aa-header">
          <span className="aa-brand">Auto-Author</span>
          {book && <span className="aa-book-title" title={book.title} dir="auto">{book.title}</span>}
          <span className="aa-tools">{PANELS.filter((p) => ASIDE.has(p.id)).map(tab)}</span>
          {meta.data?.ai.offline && (
            <span className="aa-badge aa-offline" title="No AI model is configured: questions and drafts are built from templates and your own answers">
              {TEMPLATE_MODE}
            </span>
          )}
        </header>
        <nav className="aa-nav" aria-label="Panels">{PANELS.filter((p) => !ASIDE.has(p.id)).map(tab)}</nav>
        <main className="aa-main">
          {connected && book && <NextStepBar />}
          {current.Component ? <current.Component /> : <ConnectPanel onConnected={() => go('book')} serverOffersGoogle={meta.data?.googleSignIn === true} />}
        </main>
      </div>
    </GuideProvider>
  );
}

/** A tray with an arrow into it (Export: the book as a file). */
function ExportIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 11v2.5h11V11" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
  );
}

/** An open notebook (Continuity). */
function ContinuityIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M8 4C6.5 2.8 4.5 2.5 2 2.8v9.5c2.5-.3 4.5 0 6 1.2 1.5-1.2 3.5-1.5 6-1.2V2.8c-2.5-.3-4.5 0-6 1.2Zm0 0v9.5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" /></svg>
  );
}

/** A small gauge (Usage). */
function UsageIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M2 11a6 6 0 1 1 12 0" fill="none" stroke="currentColor" strokeWidth="1.6" /><path d="M8 11 11 6" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" /></svg>
  );
}

/** A plug (Connect). */
function ConnectIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M6 1v4M10 1v4M4 5h8v3a4 4 0 0 1-8 0ZM8 12v3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" /></svg>
  );
}
