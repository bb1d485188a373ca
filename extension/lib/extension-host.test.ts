import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { STORAGE_KEYS, type DocumentContext } from '../../shared/ui/panel-host.js';
import { createExtensionHost } from './extension-host.js';
import { panelPath } from './docs-page.js';

const CONFIG = { apiUrl: 'http://127.0.0.1:18787', apiUrlFixed: true, oauthClientId: 'client-1' };
const DOC = (id: string, rest = '/edit') => `https://docs.google.com/document/d/${id}${rest}`;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the extension PanelHost', () => {
  it('is a real-document host without writeToDoc (the API writes with the Google token) and with the built API', () => {
    const host = createExtensionHost({ search: '?documentId=doc-1&title=One', config: CONFIG });
    expect(host.kind).toBe('extension');
    expect(host.capabilities).toEqual({ googleSignIn: true, realDocument: true, fixedApiUrl: true, insertAtCursor: false });
    expect(host.defaultApiUrl).toBe('http://127.0.0.1:18787');
    expect(host.writeToDoc).toBeUndefined();
    expect(host.readOutline).toBeUndefined();
    expect(createExtensionHost({ search: '', config: { ...CONFIG, oauthClientId: null, apiUrlFixed: false } }).capabilities)
      .toMatchObject({ googleSignIn: false, fixedApiUrl: false });
  });

  it('takes the document from its query when opened directly (tests, a bookmarked panel)', async () => {
    const host = createExtensionHost({ search: '?documentId=doc-1&title=The%20Calm%20One-to-One&tabId=t.0', config: CONFIG });
    expect(await host.getDocumentContext()).toEqual({ documentId: 'doc-1', title: 'The Calm One-to-One', tabId: 't.0' });
    expect(await createExtensionHost({ search: '?title=x', config: CONFIG }).getDocumentContext()).toBeNull();
    expect(host.onDocumentContextChange!(() => {})).toBeTypeOf('function');
  });

  it('follows the browser tab it is pinned to: live title, Docs tab, another document', async () => {
    const tab = await fakeBrowser.tabs.create({ url: DOC('doc-1', '/edit?tab=t.0') });
    await fakeBrowser.tabs.update(tab.id!, { title: 'Renamed since - Google Docs' } as object);
    const host = createExtensionHost({ search: `?${panelPath({ documentId: 'doc-1', title: '', tabId: null, browserTabId: tab.id! }).split('?')[1]}`, config: CONFIG });
    expect(await host.getDocumentContext()).toEqual({ documentId: 'doc-1', title: 'Renamed since', tabId: 't.0' });

    const seen: Array<DocumentContext | null> = [];
    const unsubscribe = host.onDocumentContextChange!((context) => seen.push(context));
    await flush();
    await fakeBrowser.tabs.update(tab.id!, { status: 'loading' } as object); // neither URL nor title: nothing to say
    await fakeBrowser.tabs.update(tab.id!, { title: 'Renamed since - Google Docs' } as object); // same title again
    await flush();
    expect(seen).toEqual([]);

    await fakeBrowser.tabs.update(tab.id!, { title: 'The Calm One-to-One - Google Docs' } as object);
    await flush();
    await fakeBrowser.tabs.update(tab.id!, { url: DOC('doc-1', '/edit?tab=t.5') });
    await flush();
    await fakeBrowser.tabs.update(tab.id!, { url: DOC('doc-2'), title: 'Second - Google Docs' } as object);
    await flush();
    expect(seen).toEqual([
      { documentId: 'doc-1', title: 'The Calm One-to-One', tabId: 't.0' },
      { documentId: 'doc-1', title: 'The Calm One-to-One', tabId: 't.5' },
      { documentId: 'doc-2', title: 'Second', tabId: null },
    ]);

    // Other tabs are not this panel's business; after unsubscribing nothing more arrives.
    const other = await fakeBrowser.tabs.create({ url: DOC('doc-3') });
    await fakeBrowser.tabs.update(other.id!, { title: 'Third - Google Docs' } as object);
    unsubscribe();
    await fakeBrowser.tabs.update(tab.id!, { title: 'Later - Google Docs' } as object);
    await flush();
    expect(seen).toHaveLength(3);
  });

  it('keeps the query title while the pinned tab is still loading, and the query document if the tab is gone', async () => {
    const tab = await fakeBrowser.tabs.create({ url: DOC('doc-1') });
    await fakeBrowser.tabs.update(tab.id!, { title: DOC('doc-1') } as object);
    const host = createExtensionHost({ search: `?documentId=doc-1&title=From%20query&browserTabId=${tab.id}`, config: CONFIG });
    expect(await host.getDocumentContext()).toEqual({ documentId: 'doc-1', title: 'From query', tabId: null });
    const orphan = createExtensionHost({ search: '?documentId=doc-1&title=Gone&browserTabId=999', config: CONFIG });
    expect(await orphan.getDocumentContext()).toEqual({ documentId: 'doc-1', title: 'Gone', tabId: null });
  });

  it('stores settings and unsaved text in extension storage, and reads the Google token from the session', async () => {
    const host = createExtensionHost({ search: '?documentId=doc-1', config: CONFIG });
    await host.settings.set(STORAGE_KEYS.apiToken, 'aa_token');
    await host.settings.set(STORAGE_KEYS.book('doc-1'), 'bk_1');
    await host.unsaved.set('summary:bk_1', { value: 'typed', baseVersion: 1 });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ apiToken: 'aa_token', 'book:doc-1': 'bk_1', 'unsaved:summary:bk_1': { value: 'typed', baseVersion: 1 } });
    // No token in the session: a silent launchWebAuthFlow, which needs the author here.
    vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue('https://abc.chromiumapp.org/');
    const flow = vi.spyOn(fakeBrowser.identity, 'launchWebAuthFlow').mockRejectedValue(new Error('User interaction required.'));
    expect(await host.getGoogleToken()).toBeNull();
    expect(flow).toHaveBeenCalledWith(expect.objectContaining({ interactive: false }));
    expect(new URL(flow.mock.calls[0]![0].url).searchParams.get('client_id')).toBe('client-1');
    await fakeBrowser.storage.session.set({ googleAccessToken: 'ya29.test' });
    expect(await host.getGoogleToken()).toBe('ya29.test');
    expect(flow).toHaveBeenCalledTimes(1);
  });

  it('opens links in a new tab', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    createExtensionHost({ search: '', config: CONFIG }).openExternal!('https://example.com/help');
    expect(create).toHaveBeenCalledWith({ url: 'https://example.com/help' });
  });
});
