import { parseApiUrl } from './api-url.js';
import { BUILD_API_URL, gas } from './apps-script.js';
import { writeChapter, type InsertChapterResult } from './chapter-writer.js';
import { documentContext, documentOutline, type DocumentContext, type DocumentOutline } from './document-context.js';
import { exchangeIdentityToken, identityToken } from './identity.js';
import { parseInsertRequest } from './insert-request.js';
import { readSettings, saveSettings as storeSettings, type AddonSettings, type SettingsPatch } from './settings.js';

// The functions the sidebar calls through google.script.run. Each one is a thin wrapper: it reads the Apps Script
// services and hands them to the pure modules. Arguments and results are plain data (google.script.run copies them).

const buildUrl = () => {
  const parsed = parseApiUrl(BUILD_API_URL);
  if ('error' in parsed) throw new Error(`The add-on was built with a bad ADDON_API_URL: ${parsed.error}`);
  return parsed;
};

/** The open document: id, title, headings, cursor and selection, and the book's chapters written in it. */
export function getDocumentContext(bookId?: string | null): DocumentContext {
  const { DocumentApp } = gas;
  return documentContext(DocumentApp, DocumentApp.getActiveDocument(), typeof bookId === 'string' && bookId ? bookId : null);
}

/** Every paragraph's text and style, for `POST /v1/books/:bookId/doc/import` with `outline`. */
export function getDocumentOutline(): DocumentOutline {
  const { DocumentApp } = gas;
  return documentOutline(DocumentApp, DocumentApp.getActiveDocument());
}

/**
 * Writes a chapter at the cursor, else over its previous copy, else in TOC order or at the end. The sidebar then
 * records the result with `POST /v1/books/:bookId/doc/writes` (rangeName + textHash).
 */
export function insertChapter(request: unknown): InsertChapterResult {
  const { DocumentApp } = gas;
  return writeChapter(DocumentApp, DocumentApp.getActiveDocument(), parseInsertRequest(request));
}

/** The user's settings (from their user properties, never the document's). */
export function getSettings(): AddonSettings {
  return readSettings(gas.PropertiesService.getUserProperties(), buildUrl().baseUrl);
}

export function saveSettings(patch: SettingsPatch): AddonSettings {
  if (typeof patch !== 'object' || patch === null) throw new Error('Settings must be an object.');
  return storeSettings(gas.PropertiesService.getUserProperties(), { apiUrl: patch.apiUrl, apiToken: patch.apiToken }, buildUrl().baseUrl);
}

/** Forgets the stored API token (the API's `UNAUTHORIZED` means it was revoked or expired). */
export function signOut(): AddonSettings {
  return storeSettings(gas.PropertiesService.getUserProperties(), { apiToken: null }, buildUrl().baseUrl);
}

/** A fresh Google ID token for `POST /v1/auth/google` (the sidebar exchanges it itself). */
export function getIdentityToken(): { idToken: string } {
  return { idToken: identityToken(gas.ScriptApp) };
}

/** Signs in with the user's Google identity from the script and stores the API token in their user properties. */
export function signInWithGoogle(): { user: { id: string; email: string | null; name: string | null }; expiresAt: string; settings: AddonSettings } {
  const properties = gas.PropertiesService.getUserProperties();
  const defaults = buildUrl();
  const { apiUrl } = readSettings(properties, defaults.baseUrl);
  const signIn = exchangeIdentityToken({ scriptApp: gas.ScriptApp, urlFetchApp: gas.UrlFetchApp, apiUrl, allowedPrefix: defaults.whitelistPrefix });
  const settings = storeSettings(properties, { apiToken: signIn.token }, defaults.baseUrl);
  return { user: signIn.user, expiresAt: signIn.expiresAt, settings };
}

/** Every server function the sidebar may call, for a typed google.script.run wrapper. */
export const serverFunctions = {
  getDocumentContext, getDocumentOutline, insertChapter, getSettings, saveSettings, signOut, getIdentityToken, signInWithGoogle,
};
export type ServerFunctions = typeof serverFunctions;
