import { parseApiUrl } from './api-url.js';
import type { GasProperties } from './gas-types.js';

// User properties only: document properties are shared with every collaborator of the doc.
const API_URL_KEY = 'autoAuthor.apiUrl';
const API_TOKEN_KEY = 'autoAuthor.apiToken';
/** PropertiesService keeps at most 9 KB per value. */
const MAX_VALUE_BYTES = 9 * 1024;

/** The user's add-on settings. */
export interface AddonSettings {
  /** The API the sidebar talks to (the build's unless the user chose another). */
  apiUrl: string;
  /** The user's API token, or null when signed out. */
  apiToken: string | null;
  /** The API address the add-on was built for. */
  defaultApiUrl: string;
}

/** A change of settings: an absent field is unchanged, null resets it. */
export interface SettingsPatch {
  apiUrl?: string | null;
  apiToken?: string | null;
}

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export function readSettings(properties: GasProperties, defaultApiUrl: string): AddonSettings {
  return { apiUrl: properties.getProperty(API_URL_KEY) ?? defaultApiUrl, apiToken: properties.getProperty(API_TOKEN_KEY), defaultApiUrl };
}

/** Validates and stores a change of settings, then returns them. */
export function saveSettings(properties: GasProperties, patch: SettingsPatch, defaultApiUrl: string): AddonSettings {
  if (patch.apiUrl !== undefined) {
    if (patch.apiUrl === null || patch.apiUrl.trim() === '') properties.deleteProperty(API_URL_KEY);
    else {
      const parsed = parseApiUrl(String(patch.apiUrl));
      if ('error' in parsed) throw new Error(parsed.error);
      properties.setProperty(API_URL_KEY, parsed.baseUrl);
    }
  }
  if (patch.apiToken !== undefined) {
    if (patch.apiToken === null || patch.apiToken === '') properties.deleteProperty(API_TOKEN_KEY);
    else {
      const token = String(patch.apiToken);
      if (!/^[\x21-\x7e]+$/u.test(token)) throw new Error('An API token is printable ASCII without spaces.');
      if (utf8Bytes(API_TOKEN_KEY + token) > MAX_VALUE_BYTES) throw new Error('The API token is too long to store.');
      properties.setProperty(API_TOKEN_KEY, token);
    }
  }
  return readSettings(properties, defaultApiUrl);
}
