import { browser } from './browser.js';
import type { DocumentContext, PanelHost } from '../../shared/ui/panel-host.js';
import type { ExtensionRuntimeConfig } from './build-config.js';
import { documentContextOfTab, parsePanelQuery } from './docs-page.js';
import { createGoogleAuth, type GoogleAuth } from './google-auth.js';
import { settingsStore, unsavedStore } from './storage.js';

export interface ExtensionHostOptions {
  /** The panel page's query (`location.search`): `?documentId=&title=` and, when pinned by the background, `browserTabId=`. */
  search: string;
  /** What the build was made for (API address, OAuth client). */
  config: ExtensionRuntimeConfig;
  /** Google tokens (default: launchWebAuthFlow with the build's client id). */
  googleAuth?: GoogleAuth;
}

const sameContext = (a: DocumentContext | null, b: DocumentContext | null) =>
  a?.documentId === b?.documentId && a?.title === b?.title && (a?.tabId ?? null) === (b?.tabId ?? null);

/**
 * The side panel's PanelHost: settings and unsaved text in WXT storage items, the document from the page's query
 * and then from its browser tab, Google tokens from session storage or launchWebAuthFlow. It has no `writeToDoc`:
 * the panels ask the API to write (`POST …/doc/write` with `x-google-access-token`), since an extension cannot
 * reach into the Docs canvas (so no "at the cursor").
 */
export function createExtensionHost(options: ExtensionHostOptions): PanelHost {
  const query = parsePanelQuery(options.search);
  const fromQuery: DocumentContext | null = query ? { documentId: query.documentId, title: query.title, tabId: query.tabId } : null;
  const browserTabId = query?.browserTabId ?? null;
  const googleAuth = options.googleAuth ?? createGoogleAuth({
    clientId: options.config.oauthClientId,
    launchWebAuthFlow: (details) => browser.identity.launchWebAuthFlow(details),
    redirectUrl: () => browser.identity.getRedirectURL(),
  });

  /** The document the pinned tab shows now (its title may have changed since the panel opened); else the query's. */
  async function currentContext(): Promise<DocumentContext | null> {
    if (browserTabId === null) return fromQuery;
    const tab = await browser.tabs.get(browserTabId).catch(() => null);
    const live = tab ? documentContextOfTab(tab) : null;
    if (!live) return fromQuery;
    return { ...live, title: live.title || (live.documentId === fromQuery?.documentId ? fromQuery.title : '') };
  }

  return {
    kind: 'extension',
    capabilities: { googleSignIn: options.config.oauthClientId !== null, realDocument: true, fixedApiUrl: options.config.apiUrlFixed, insertAtCursor: false },
    settings: settingsStore,
    unsaved: unsavedStore,
    defaultApiUrl: options.config.apiUrl,
    getDocumentContext: currentContext,
    onDocumentContextChange(listener) {
      if (browserTabId === null) return () => {};
      let last: DocumentContext | null | undefined;
      void currentContext().then((context) => {
        last ??= context;
      });
      const onUpdated = (tabId: number, change: { url?: string; title?: string }) => {
        if (tabId !== browserTabId || (change.url === undefined && change.title === undefined)) return;
        void currentContext().then((context) => {
          if (last !== undefined && sameContext(last, context)) return;
          last = context;
          listener(context);
        });
      };
      browser.tabs.onUpdated.addListener(onUpdated);
      return () => browser.tabs.onUpdated.removeListener(onUpdated);
    },
    getGoogleToken: (opts) => googleAuth.getAccessToken(opts),
    getGoogleIdToken: () => googleAuth.getIdToken(),
    openExternal: (url) => void browser.tabs.create({ url }),
  };
}
