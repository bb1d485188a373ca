/// <reference types="google-apps-script" />
import type { AppsScriptGlobals } from './apps-script-slices.js';

// The services are globals of the Apps Script runtime (declared by @types/google-apps-script; stand-ins in tests),
// looked up when used: in AuthMode.NONE touching one throws, so nothing is read before it is needed. Returning the
// real globals as the slices is what makes `tsc` prove the slices match Apps Script.

/** The Apps Script services, each read from the global scope on access. */
export const gas: AppsScriptGlobals = {
  get DocumentApp() {
    return DocumentApp;
  },
  get ScriptApp() {
    return ScriptApp;
  },
  get PropertiesService() {
    return PropertiesService;
  },
  get HtmlService() {
    return HtmlService;
  },
  get UrlFetchApp() {
    return UrlFetchApp;
  },
};

declare const __ADDON_API_URL__: string | undefined;

/** The API address the add-on was built for (`ADDON_API_URL`); the default of the API URL setting. */
export const BUILD_API_URL: string = typeof __ADDON_API_URL__ === 'string' ? __ADDON_API_URL__ : 'https://auto-author.example.com';
