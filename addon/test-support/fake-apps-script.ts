// Stand-ins for the Apps Script services the add-on touches, over the in-memory document. `globals` is what a
// test puts on the global object (or into a vm context) where the real script would find the services.
import type { AppsScriptGlobals, GasEnum, GasHttpResponse, GasProperties, GasUrlFetchApp } from '../src/apps-script-slices.js';
import { createFakeDocumentApp, FakeDocument, FakeHtmlOutput } from './fake-document.js';
import { FakeScriptError } from './fake-elements.js';

/** PropertiesService's 9 KB per value (UTF-8 of key and value). */
const MAX_PROPERTY_BYTES = 9 * 1024;

export class FakeProperties implements GasProperties {
  readonly values = new Map<string, string>();
  getProperties() {
    return Object.fromEntries(this.values);
  }
  getProperty(key: string) {
    return this.values.get(key) ?? null;
  }
  setProperty(key: string, value: string) {
    if (Buffer.byteLength(key + value, 'utf8') > MAX_PROPERTY_BYTES) throw new FakeScriptError('Argument too large: value');
    this.values.set(key, String(value));
    return this;
  }
  deleteProperty(key: string) {
    this.values.delete(key);
    return this;
  }
}

export const AuthMode: Record<'NONE' | 'LIMITED' | 'CUSTOM_FUNCTION' | 'FULL', GasEnum> = Object.freeze(
  Object.fromEntries(['NONE', 'LIMITED', 'CUSTOM_FUNCTION', 'FULL'].map((name) => [name, Object.freeze({ toString: () => name })])),
) as Record<'NONE' | 'LIMITED' | 'CUSTOM_FUNCTION' | 'FULL', GasEnum>;

export interface FetchCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string | undefined;
}

export interface StandInOptions {
  document?: FakeDocument;
  /** What `ScriptApp.getIdentityToken()` returns (null: the openid scope is missing). */
  identityToken?: string | null;
  /** HTML files of the project, by name without `.html`. */
  htmlFiles?: Record<string, string>;
  /** Answers UrlFetchApp calls (default: 404). */
  fetch?: (call: FetchCall) => { status: number; body: string };
  /** Raised by every service call when it is not allowed in the current authorization mode (NONE). */
  authModeNone?: boolean;
}

/** Apps Script stand-ins: the globals, plus what the test inspects (document, UI record, properties, fetches). */
export function createAppsScriptStandIns(options: StandInOptions = {}) {
  const { app, document, ui } = createFakeDocumentApp(options.document);
  const userProperties = new FakeProperties();
  const documentProperties = new FakeProperties();
  const fetches: FetchCall[] = [];
  const htmlFiles = options.htmlFiles ?? { sidebar: '<!doctype html><title>Auto-Author</title>' };
  const state = { authModeNone: options.authModeNone ?? false };
  const guard = <T>(what: string, value: () => T): T => {
    if (state.authModeNone) throw new FakeScriptError(`You do not have permission to call ${what}.`);
    return value();
  };
  const UrlFetchApp: GasUrlFetchApp = {
    fetch(url, params) {
      return guard('UrlFetchApp.fetch', () => {
        const call = { url, method: params.method, headers: params.headers ?? {}, payload: params.payload };
        fetches.push(call);
        const answer = options.fetch?.(call) ?? { status: 404, body: '{"error":{"code":"NOT_FOUND","message":"No such route."}}' };
        if (answer.status >= 400 && !params.muteHttpExceptions) throw new FakeScriptError(`Request failed for ${url} returned code ${answer.status}.`);
        const response: GasHttpResponse = { getResponseCode: () => answer.status, getContentText: () => answer.body };
        return response;
      });
    },
  };
  const globals: AppsScriptGlobals = {
    DocumentApp: {
      ...app,
      getActiveDocument: () => guard('DocumentApp.getActiveDocument', () => app.getActiveDocument()),
    },
    ScriptApp: {
      AuthMode,
      getIdentityToken: () => guard('ScriptApp.getIdentityToken', () => options.identityToken ?? null),
    },
    PropertiesService: {
      getUserProperties: () => guard('PropertiesService.getUserProperties', () => userProperties),
      getDocumentProperties: () => guard('PropertiesService.getDocumentProperties', () => documentProperties),
    },
    HtmlService: {
      createHtmlOutputFromFile(file: string) {
        const content = htmlFiles[file];
        if (content === undefined) throw new FakeScriptError(`No HTML file named ${file} was found.`);
        return new FakeHtmlOutput(file, content);
      },
    },
    UrlFetchApp,
  };
  return { globals, document, ui, userProperties, documentProperties, fetches, state };
}
