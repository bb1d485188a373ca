import { storage, type WxtStorageItem } from 'wxt/utils/storage';
import { STORAGE_KEYS, type KeyValueStore } from '../../shared/ui/panel-host.js';

// Every storage item of the extension, declared here and nowhere else.

/** The API address the author typed (unused when the build fixes one). */
export const apiUrlItem = storage.defineItem<string>('local:apiUrl');
/** The author's API token: this browser only (`local`, never `sync`). */
export const apiTokenItem = storage.defineItem<string>('local:apiToken');
/** The book open beside a Google Doc (`book:local` when the panel has no document). */
export const bookItem = (documentId: string) => storage.defineItem<string>(`local:book:${documentId}`);
/** Other panel settings by the panels' own key (chapter per book, pending TOC proposal, draft options). */
export const panelSettingItem = (key: string) => storage.defineItem<unknown>(`local:setting:${key}`);
/** Text typed but not yet confirmed by the API, by the panels' key; written on every pause in typing. */
export const unsavedItem = (key: string) => storage.defineItem<unknown>(`local:unsaved:${key}`);

// Google tokens live in `session` storage: in memory, gone when the browser closes, readable only by the
// extension's own pages and worker. Tests put a token here instead of signing in.
/** Google OAuth access token for Docs writes through the API (`x-google-access-token`). */
export const googleAccessTokenItem = storage.defineItem<string>('session:googleAccessToken');
/** When that access token expires (ms since the epoch); absent: treated as valid. */
export const googleAccessTokenExpiresAtItem = storage.defineItem<number>('session:googleAccessTokenExpiresAt');
/** Google ID token for `POST /v1/auth/google` (its own `exp` says when it expires). */
export const googleIdTokenItem = storage.defineItem<string>('session:googleIdToken');

const BOOK_PREFIX = STORAGE_KEYS.book('');

/** The item behind a panel settings key. */
export function settingItem(key: string): WxtStorageItem<unknown, Record<string, never>> {
  if (key === STORAGE_KEYS.apiUrl) return apiUrlItem;
  if (key === STORAGE_KEYS.apiToken) return apiTokenItem;
  if (key.startsWith(BOOK_PREFIX)) return bookItem(key.slice(BOOK_PREFIX.length));
  return panelSettingItem(key);
}

/** A PanelHost store over storage items (`null` and absent are the same: setting null removes the item). */
export function itemStore(itemFor: (key: string) => WxtStorageItem<unknown, Record<string, never>>): KeyValueStore {
  return {
    get: async <T>(key: string) => ((await itemFor(key).getValue()) ?? null) as T | null,
    set: (key, value) => (value === null || value === undefined ? itemFor(key).removeValue() : itemFor(key).setValue(value)),
    remove: (key) => itemFor(key).removeValue(),
  };
}

/** The panels' settings: API address and token, book per document, other small settings. */
export const settingsStore: KeyValueStore = itemStore(settingItem);
/** The panels' unsaved text. */
export const unsavedStore: KeyValueStore = itemStore(unsavedItem);
