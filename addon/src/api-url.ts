/** An API address as the add-on uses it: the base the client calls and the `urlFetchWhitelist` prefix. */
export interface ApiUrl {
  /** Origin and optional path prefix, without a trailing slash (`https://api.example.com`). */
  baseUrl: string;
  /** The same with a trailing slash: a valid `urlFetchWhitelist` entry (https, full domain, non-empty path). */
  whitelistPrefix: string;
}

// No WHATWG URL in Apps Script: a plain pattern. https only, a full domain, an optional port and path, no
// credentials, query or fragment.
const API_URL = /^https:\/\/((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9])(:\d{1,5})?(\/[^\s?#]*)?$/iu;

/** Parses an API address, or says what is wrong with it. */
export function parseApiUrl(raw: string): ApiUrl | { error: string } {
  const value = raw.trim();
  if (!/^https:\/\//iu.test(value)) return { error: `The API address must start with https:// (got "${value}").` };
  const match = API_URL.exec(value);
  if (!match) return { error: `"${value}" is not an https address with a full domain name (no user, query or fragment).` };
  const path = (match[3] ?? '/').replace(/\/+$/u, '');
  const baseUrl = `https://${match[1]!.toLowerCase()}${match[2] ?? ''}${path}`;
  return { baseUrl, whitelistPrefix: `${baseUrl}/` };
}
