import { parseApiUrl } from './api-url.js';
import type { GasProperties } from './apps-script-slices.js';

// The panels' settings (API address, API token, the open book per document, …) live in the user's properties:
// document properties are shared with every collaborator of the doc. Each value is JSON under `aa.<key>`.
const PREFIX = 'aa.';
const KEY = /^[A-Za-z0-9:_.-]{1,200}$/u;
/** PropertiesService keeps at most 9 KB per value (key included). */
const MAX_VALUE_BYTES = 9 * 1024;

/** The user's add-on settings the server itself needs. */
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

function propertyName(key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw new Error(`Not a settings key: ${String(key).slice(0, 50)}`);
  return PREFIX + key;
}

/** Checks the values the server relies on; returns the JSON to store. */
function checked(key: string, json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`The value of ${key} is not JSON.`);
  }
  if (key === 'apiUrl') {
    const parsed = parseApiUrl(String(value));
    if ('error' in parsed) throw new Error(parsed.error);
    return JSON.stringify(parsed.baseUrl);
  }
  if (key === 'apiToken' && (typeof value !== 'string' || !/^[\x21-\x7e]+$/u.test(value))) throw new Error('An API token is printable ASCII without spaces.');
  return json;
}

/** Every stored value (JSON text) by key, read in one call so the sidebar can cache them. */
export function readUserValues(properties: GasProperties): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties.getProperties())) {
    if (name.startsWith(PREFIX)) values[name.slice(PREFIX.length)] = value;
  }
  return values;
}

/** Stores a value (JSON text) and returns what was stored. */
export function setUserValue(properties: GasProperties, key: string, json: string): string {
  const name = propertyName(key);
  const value = checked(key, String(json));
  if (utf8Bytes(name + value) > MAX_VALUE_BYTES) throw new Error(`The value of ${key} is too large to keep (9 KB at most).`);
  properties.setProperty(name, value);
  return value;
}

export function removeUserValue(properties: GasProperties, key: string): void {
  properties.deleteProperty(propertyName(key));
}

function stored(properties: GasProperties, key: string): string | null {
  const raw = properties.getProperty(PREFIX + key);
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function readSettings(properties: GasProperties, defaultApiUrl: string): AddonSettings {
  return { apiUrl: stored(properties, 'apiUrl') ?? defaultApiUrl, apiToken: stored(properties, 'apiToken'), defaultApiUrl };
}

/** Validates and stores a change of settings, then returns them. */
export function saveSettings(properties: GasProperties, patch: SettingsPatch, defaultApiUrl: string): AddonSettings {
  for (const key of ['apiUrl', 'apiToken'] as const) {
    const value = patch[key];
    if (value === undefined) continue;
    if (value === null || value === '') removeUserValue(properties, key);
    else setUserValue(properties, key, JSON.stringify(String(value)));
  }
  return readSettings(properties, defaultApiUrl);
}
