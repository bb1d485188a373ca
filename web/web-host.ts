import { applyPreviewWrite } from '../shared/ui/core/doc-preview.js';
import { tokenInFragment } from '../shared/ui/core/pasted-token.js';
import { STORAGE_KEYS, webStorageStore, type DocPreview, type PanelHost } from '../shared/ui/panel-host.js';

const PREVIEW_KEY = (bookId: string) => `preview:${bookId}`;

/**
 * The /app web preview host: settings and unsaved text in localStorage, same-origin API, no Google account
 * (so no Google token), and "write to doc" renders a local preview from the same planned paragraphs the Docs
 * writers use.
 */
export function createWebHost(win: Window = window): PanelHost {
  const settings = webStorageStore(win.localStorage, 'aa.settings.');
  const unsaved = webStorageStore(win.localStorage, 'aa.unsaved.');
  return {
    kind: 'web',
    capabilities: { googleSignIn: false, realDocument: false, fixedApiUrl: true, insertAtCursor: false },
    settings,
    unsaved,
    defaultApiUrl: win.location.origin,
    getDocumentContext: async () => null,
    getGoogleToken: async () => null,
    async writeToDoc(request) {
      const before = await settings.get<DocPreview>(PREVIEW_KEY(request.bookId));
      const { preview, result } = applyPreviewWrite(before, request);
      await settings.set(PREVIEW_KEY(request.bookId), preview);
      return result;
    },
    readDocPreview: (bookId) => settings.get<DocPreview>(PREVIEW_KEY(bookId)),
    openExternal: (url) => void win.open(url, '_blank', 'noopener'),
  };
}

/**
 * Takes an API token from a `#token=…` link (the bootstrap admin link, or one an admin sent), stores it and removes
 * it from the address bar and history, so it is never left in the URL.
 */
export async function adoptTokenFromHash(win: Window, host: PanelHost): Promise<boolean> {
  const token = tokenInFragment(win.location.hash);
  if (!token) return false;
  await host.settings.set(STORAGE_KEYS.apiToken, token);
  await host.settings.set(STORAGE_KEYS.apiUrl, win.location.origin);
  const params = new URLSearchParams(win.location.hash.replace(/^#/, ''));
  params.delete('token');
  const rest = params.toString();
  win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`);
  return true;
}
