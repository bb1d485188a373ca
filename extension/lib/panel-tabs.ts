import { browser, type Browser } from './browser.js';
import { documentContextOfTab, panelPath, parsePanelQuery } from './docs-page.js';

/**
 * The side panel exists only beside Google Docs: off by default, switched on per tab whose URL is a document, and
 * pinned there to `sidepanel.html?documentId=&title=&browserTabId=` so each Docs tab has its own panel for its
 * own document; on any other tab the toolbar button shows a popup saying so. Reading `tab.url` takes the `tabs`
 * permission (URLs and titles only; no access to page content).
 */
export function pinPanelsToDocsTabs(): void {
  // The toolbar button opens the panel of the current tab (where it is enabled).
  void browser.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(ignore);
  browser.runtime.onInstalled.addListener(() => syncAllTabs());
  browser.runtime.onStartup.addListener(() => syncAllTabs());
  browser.tabs.onUpdated.addListener((_tabId, change, tab) =>
    change.url !== undefined || change.title !== undefined || change.status === 'complete' ? syncTab(tab) : undefined);
}

/** Turns the default panel off, then sets up every open tab (tabs opened before the extension was installed). */
export async function syncAllTabs(): Promise<void> {
  await browser.sidePanel.setOptions({ enabled: false });
  await Promise.all((await browser.tabs.query({})).map((tab) => syncTab(tab)));
}

// Tab events come in bursts (url, title, status); one sync at a time per tab so they never interleave.
const queues = new Map<number, Promise<void>>();

/** Enables and pins the panel for a Docs tab, disables it elsewhere; a panel already showing that document is left alone. */
export function syncTab(tab: Browser.tabs.Tab): Promise<void> {
  const tabId = tab.id;
  if (tabId === undefined || tabId < 0) return Promise.resolve();
  const next = (queues.get(tabId) ?? Promise.resolve()).then(() => applyTab(tabId, tab)).catch(ignore);
  queues.set(tabId, next);
  void next.then(() => {
    if (queues.get(tabId) === next) queues.delete(tabId);
  });
  return next;
}

/** The toolbar button's popup where there is no panel (entrypoints/not-a-doc.html): it says where Auto-Author opens. */
export const NOT_A_DOC_PAGE = 'not-a-doc.html';

async function applyTab(tabId: number, tab: Browser.tabs.Tab) {
  const context = documentContextOfTab(tab);
  // Beside a document the button opens the panel; elsewhere it would do nothing at all, so it says why instead.
  await browser.action.setPopup({ tabId, popup: context ? '' : NOT_A_DOC_PAGE });
  const current = await browser.sidePanel.getOptions({ tabId });
  if (!context) {
    if (current.enabled !== false) await browser.sidePanel.setOptions({ tabId, enabled: false });
    return;
  }
  const pinned = current.path ? parsePanelQuery(current.path) : null;
  // A new path reloads an open panel: only when the tab now shows another document (title and Docs tab changes
  // reach the panel through its own tab listener).
  if (current.enabled && pinned?.documentId === context.documentId && pinned.browserTabId === tabId) return;
  await browser.sidePanel.setOptions({ tabId, enabled: true, path: panelPath({ ...context, tabId: context.tabId ?? null, browserTabId: tabId }) });
}

// A tab can close between its event and our call ("No tab with id"): nothing is left to set up then.
function ignore() {}
