import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parsePanelQuery } from './docs-page.js';
import { pinPanelsToDocsTabs } from './panel-tabs.js';

// fakeBrowser has no sidePanel: an in-memory one with Chrome's rules (per-tab options over the defaults).
interface PanelOptions { path?: string; enabled?: boolean }
function fakeSidePanel() {
  let defaults: PanelOptions = { path: 'sidepanel.html', enabled: true };
  const perTab = new Map<number, PanelOptions>();
  return {
    perTab,
    behavior: null as null | { openPanelOnActionClick?: boolean },
    setPanelBehavior: vi.fn(async function (this: void, behavior: { openPanelOnActionClick?: boolean }) {
      panel.behavior = behavior;
    }),
    setOptions: vi.fn(async ({ tabId, ...options }: PanelOptions & { tabId?: number }) => {
      if (tabId === undefined) defaults = { ...defaults, ...options };
      else perTab.set(tabId, { ...perTab.get(tabId), ...options });
    }),
    getOptions: vi.fn(async ({ tabId }: { tabId?: number }) => ({ ...defaults, ...(tabId === undefined ? {} : perTab.get(tabId)) })),
  };
}
let panel: ReturnType<typeof fakeSidePanel>;
/** fakeBrowser's action has no popups: the per-tab popup Chrome keeps ('' is none). */
let popups: Map<number, string>;

const DOC = (id: string, rest = '/edit') => `https://docs.google.com/document/d/${id}${rest}`;
const options = (tabId: number) => panel.getOptions({ tabId });
const pinned = async (tabId: number) => {
  const current = await options(tabId);
  return current.enabled ? parsePanelQuery(current.path ?? '') : null;
};
/** Navigates a tab the way Chrome reports it: the URL first (title still the URL), then the loaded title. */
async function navigate(tabId: number, url: string, title: string) {
  await fakeBrowser.tabs.update(tabId, { url, title: url } as object);
  await fakeBrowser.tabs.update(tabId, { title, status: 'complete' } as object);
}

beforeEach(() => {
  fakeBrowser.reset();
  panel = fakeSidePanel();
  (fakeBrowser as unknown as { sidePanel: unknown }).sidePanel = panel;
  popups = new Map();
  (fakeBrowser.action as unknown as { setPopup: unknown }).setPopup = async ({ tabId, popup }: { tabId: number; popup: string }) => void popups.set(tabId, popup);
  pinPanelsToDocsTabs();
});

describe('the side panel beside Google Docs only', () => {
  it('opens from the toolbar button, and is off by default once installed', async () => {
    expect(panel.setPanelBehavior).toHaveBeenCalledWith({ openPanelOnActionClick: true });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    expect(await panel.getOptions({})).toMatchObject({ enabled: false });
  });

  it('sets up tabs already open at install: Docs tabs pinned to their document, others left off', async () => {
    const doc = await fakeBrowser.tabs.create({ url: DOC('doc-1') });
    await fakeBrowser.tabs.update(doc.id!, { title: 'Field Notes - Google Docs' } as object);
    const other = await fakeBrowser.tabs.create({ url: 'https://example.com/' });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    expect(await pinned(doc.id!)).toEqual({ documentId: 'doc-1', title: 'Field Notes', tabId: null, browserTabId: doc.id });
    expect(await options(other.id!)).toMatchObject({ enabled: false });
    expect((await options(doc.id!)).path).toBe(`sidepanel.html?documentId=doc-1&title=Field+Notes&browserTabId=${doc.id}`);
  });

  it('follows a tab across documents, and switches off when it leaves Docs', async () => {
    await fakeBrowser.runtime.onStartup.trigger();
    const tab = await fakeBrowser.tabs.create({ url: 'https://example.com/' });
    const tabId = tab.id!;

    await navigate(tabId, DOC('doc-1', '/edit?tab=t.0'), 'Book One - Google Docs');
    expect(await pinned(tabId)).toEqual({ documentId: 'doc-1', title: '', tabId: 't.0', browserTabId: tabId });

    // A new title or Docs tab in the same document keeps the pinned path (a new path would reload an open panel).
    panel.setOptions.mockClear();
    await fakeBrowser.tabs.update(tabId, { title: 'Book One (renamed) - Google Docs' } as object);
    await fakeBrowser.tabs.update(tabId, { url: DOC('doc-1', '/edit?tab=t.9#heading=h.1') });
    expect(panel.setOptions).not.toHaveBeenCalled();

    await navigate(tabId, DOC('doc-2', '/edit'), 'Book Two - Google Docs');
    expect(await pinned(tabId)).toMatchObject({ documentId: 'doc-2', browserTabId: tabId });

    expect(popups.get(tabId)).toBe('');

    // Off Docs the toolbar button has no panel to open, so it shows a popup saying where Auto-Author opens.
    await navigate(tabId, 'https://docs.google.com/spreadsheets/d/sheet-1/edit', 'Budget - Google Sheets');
    expect(await options(tabId)).toMatchObject({ enabled: false });
    expect(popups.get(tabId)).toBe('not-a-doc.html');

    await navigate(tabId, DOC('doc-1', '/edit'), 'Book One - Google Docs');
    expect(await pinned(tabId)).toMatchObject({ documentId: 'doc-1' });
    expect(popups.get(tabId)).toBe('');
  });

  it('keeps each tab to its own document', async () => {
    const a = await fakeBrowser.tabs.create({ url: 'about:blank' });
    const b = await fakeBrowser.tabs.create({ url: 'about:blank' });
    await navigate(a.id!, DOC('doc-a'), 'A - Google Docs');
    await navigate(b.id!, DOC('doc-b'), 'B - Google Docs');
    expect(await pinned(a.id!)).toMatchObject({ documentId: 'doc-a', browserTabId: a.id });
    expect(await pinned(b.id!)).toMatchObject({ documentId: 'doc-b', browserTabId: b.id });
  });

  it('handles a burst of events for one tab in order, pinning once', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'about:blank' });
    panel.setOptions.mockClear();
    const url = DOC('doc-9');
    await Promise.all([
      fakeBrowser.tabs.onUpdated.trigger(tab.id!, { url }, { ...tab, url, title: url }),
      fakeBrowser.tabs.onUpdated.trigger(tab.id!, { title: 'Nine - Google Docs' }, { ...tab, url, title: 'Nine - Google Docs' }),
      fakeBrowser.tabs.onUpdated.trigger(tab.id!, { status: 'complete' }, { ...tab, url, title: 'Nine - Google Docs' }),
    ]);
    expect(panel.setOptions).toHaveBeenCalledTimes(1);
    expect(await pinned(tab.id!)).toMatchObject({ documentId: 'doc-9' });
  });

  it('ignores events that change neither URL, title nor loading state, and tabs without an id', async () => {
    const tab = await fakeBrowser.tabs.create({ url: DOC('doc-1') });
    panel.getOptions.mockClear();
    await fakeBrowser.tabs.onUpdated.trigger(tab.id!, { audible: true }, { ...tab });
    await fakeBrowser.tabs.onUpdated.trigger(-1, { url: DOC('doc-1') }, { ...tab, id: undefined });
    expect(panel.getOptions).not.toHaveBeenCalled();
  });

  it('survives a tab that closes before its panel is set up', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'about:blank' });
    panel.setOptions.mockRejectedValueOnce(new Error(`No tab with id: ${tab.id}.`));
    await navigate(tab.id!, DOC('doc-1'), 'One - Google Docs');
    // The failed first pin is retried by the next event of the same navigation.
    expect(await pinned(tab.id!)).toMatchObject({ documentId: 'doc-1' });
  });
});
