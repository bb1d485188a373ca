import { chapterRangeName } from '../../shared/doc-plan.js';
import { parseApiUrl } from './api-url.js';
import { BUILD_API_URL, gas } from './apps-script.js';
import { writeChapter, type InsertChapterResult } from './chapter-writer.js';
import { documentContext, documentOutline, type DocumentContext, type DocumentOutline } from './document-context.js';
import { exchangeIdentityToken, identityToken } from './identity.js';
import { parseInsertRequest } from './insert-request.js';
import { insertPassage, readPassage, releasePassage, type PassageInsertResult, type ReadPassage } from './passage.js';
import { newPassageId, parsePassageInsertRequest, passageIdOf } from './passage-request.js';
import {
  readSettings, readUserValues, removeUserValue as deleteUserValue, saveSettings as storeSettings, setUserValue as storeUserValue,
  type AddonSettings, type SettingsPatch,
} from './settings.js';

// The functions the sidebar calls through google.script.run: every export of this file is one (the sidebar's typed
// wrapper and the Code.js entry points are derived from it), so export nothing else. Each one is a thin wrapper: it
// reads the Apps Script services and hands them to the pure modules. Arguments and results are plain data (google.script.run copies them).

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
 * Writes a chapter over its previous copy, else at the cursor, else in TOC order or at the end. The sidebar then
 * records the result with `POST /v1/books/:bookId/doc/writes` (rangeName + textHash).
 *
 * The hash of each written chapter is also kept in the document's properties (a fact about the document that every
 * collaborator shares; never a secret), so a rewrite notices the author's edits even when the sidebar has no hash.
 */
export function insertChapter(request: unknown): InsertChapterResult {
  const { DocumentApp, PropertiesService } = gas;
  const checked = parseInsertRequest(request);
  const written = PropertiesService.getDocumentProperties();
  const key = `aa.written:${chapterRangeName(checked.bookId, checked.chapterId)}`;
  const expectedTextHash = checked.expectedTextHash ?? written?.getProperty(key) ?? null;
  const result = writeChapter(DocumentApp, DocumentApp.getActiveDocument(), { ...checked, expectedTextHash });
  if (result.status === 'written' && result.textHash) written?.setProperty(key, result.textHash);
  return result;
}

/**
 * The author's selection, for an action on it (rewrite, expand, shorten, continue, use as material): its text and
 * fingerprint, marked in the document so that the result can later replace exactly it. Null when nothing is selected.
 */
export function readSelection(): ReadPassage | { error: string } | null {
  const { DocumentApp } = gas;
  return readPassage(DocumentApp, DocumentApp.getActiveDocument(), newPassageId());
}

/** Puts a result in place of the passage read (or after it), only if the passage still holds what was read. */
export function insertPassageResult(request: unknown): PassageInsertResult {
  const { DocumentApp } = gas;
  return insertPassage(DocumentApp, DocumentApp.getActiveDocument(), parsePassageInsertRequest(request));
}

/** Forgets a passage the author discarded (its mark in the document). */
export function releaseSelection(passageId: unknown): void {
  releasePassage(gas.DocumentApp.getActiveDocument(), passageIdOf(passageId));
}

/** The user's settings (from their user properties, never the document's). */
export function getSettings(): AddonSettings {
  return readSettings(gas.PropertiesService.getUserProperties(), buildUrl().baseUrl);
}

export function saveSettings(patch: SettingsPatch): AddonSettings {
  if (typeof patch !== 'object' || patch === null) throw new Error('Settings must be an object.');
  return storeSettings(gas.PropertiesService.getUserProperties(), { apiUrl: patch.apiUrl, apiToken: patch.apiToken }, buildUrl().baseUrl);
}

/** Every panel setting (JSON text by key), read once by the sidebar. */
export function getUserValues(): Record<string, string> {
  return readUserValues(gas.PropertiesService.getUserProperties());
}

/** Stores one panel setting (JSON text) in the user's properties; returns what was stored (the API address normalised). */
export function setUserValue(key: string, json: string): string {
  return storeUserValue(gas.PropertiesService.getUserProperties(), key, json);
}

export function removeUserValue(key: string): void {
  deleteUserValue(gas.PropertiesService.getUserProperties(), key);
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
