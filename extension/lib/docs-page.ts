import type { DocumentContext } from '../../shared/ui/panel-host.js';

/** The side panel page (WXT emits `sidepanel.html` for `entrypoints/sidepanel/`). */
export const PANEL_PAGE = 'sidepanel.html';

// A Google Doc in the editor, also under a signed-in account index (`/document/u/1/d/<id>/edit`); published
// copies (`/document/d/e/<pubId>/pub`) are not the document and do not match (the id never is "e" alone).
const DOC_URL = /^\/document\/(?:u\/\d+\/)?d\/([A-Za-z0-9_-]{2,})(?:\/|$)/;
const TITLE_SUFFIX = /\s+[-–—]\s+Google\s+Docs\s*$/i;

/** The document a Google Docs URL shows (its id and Docs tab), or null for any other page. */
export function docsPageFromUrl(rawUrl: string | undefined | null): { documentId: string; tabId: string | null } | null {
  if (!rawUrl) return null;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname !== 'docs.google.com') return null;
  const match = DOC_URL.exec(url.pathname);
  if (!match) return null;
  const tab = url.searchParams.get('tab');
  return { documentId: match[1]!, tabId: tab && /^t\.[\w-]+$/.test(tab) ? tab : null };
}

/** The document title in a Docs tab title (`"<title> - Google Docs"`). */
export function docTitleFromTabTitle(tabTitle: string | undefined | null): string {
  return (tabTitle ?? '').replace(TITLE_SUFFIX, '').trim();
}

/** The document a browser tab shows, or null when it is not a Google Doc. */
export function documentContextOfTab(tab: { url?: string; pendingUrl?: string; title?: string }): DocumentContext | null {
  const page = docsPageFromUrl(tab.url ?? tab.pendingUrl);
  if (!page) return null;
  // Until the page has loaded, the tab's title is its URL: no title yet.
  const title = tab.title && !/^https?:\/\//.test(tab.title) ? docTitleFromTabTitle(tab.title) : '';
  return { documentId: page.documentId, title, tabId: page.tabId };
}

/** What a panel page is opened with: `sidepanel.html?documentId=&title=` (+ the browser tab it is pinned to). */
export interface PanelQuery {
  documentId: string;
  title: string;
  /** The Docs tab (`t.0`), when known. */
  tabId: string | null;
  /** The browser tab the panel belongs to (null when a test or a person opened the page directly). */
  browserTabId: number | null;
}

/** The path the background pins to a Docs tab's side panel. */
export function panelPath(query: PanelQuery): string {
  const params = new URLSearchParams({ documentId: query.documentId, title: query.title });
  if (query.tabId) params.set('tabId', query.tabId);
  if (query.browserTabId !== null) params.set('browserTabId', String(query.browserTabId));
  return `${PANEL_PAGE}?${params.toString()}`;
}

/** Reads a panel page's query (`location.search`, or a whole pinned path); null without a valid document id. */
export function parsePanelQuery(search: string): PanelQuery | null {
  const params = new URLSearchParams(search.includes('?') ? search.slice(search.indexOf('?') + 1) : search);
  const documentId = params.get('documentId') ?? '';
  if (!/^[A-Za-z0-9_-]+$/.test(documentId)) return null;
  const tab = params.get('tabId');
  const browserTabId = Number(params.get('browserTabId') ?? NaN);
  return {
    documentId,
    title: params.get('title') ?? '',
    tabId: tab && /^t\.[\w-]+$/.test(tab) ? tab : null,
    browserTabId: Number.isInteger(browserTabId) && browserTabId >= 0 ? browserTabId : null,
  };
}
