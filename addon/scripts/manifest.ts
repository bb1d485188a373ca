import { parseApiUrl, type ApiUrl } from '../src/api-url.js';

/** The default API address of a local build without ADDON_API_URL: a placeholder that must never be deployed. */
export const PLACEHOLDER_API_URL = 'https://auto-author.example.com/';

/** The scopes the add-on asks for, and nothing more (no Drive scope, no full `documents` scope). */
export const ADDON_SCOPES = [
  'https://www.googleapis.com/auth/documents.currentonly',
  'https://www.googleapis.com/auth/script.container.ui',
  'https://www.googleapis.com/auth/script.external_request',
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
] as const;

export interface AddonManifest {
  timeZone: string;
  runtimeVersion: string;
  exceptionLogging: string;
  oauthScopes: string[];
  urlFetchWhitelist: string[];
  [field: string]: unknown;
}

/** The API address to build for: ADDON_API_URL, else the placeholder (marked) unless it is required. */
export function resolveApiUrl(raw: string | undefined, options: { requireExplicit?: boolean } = {}): ApiUrl & { placeholder: boolean } {
  const value = raw?.trim();
  if (!value) {
    if (options.requireExplicit) throw new Error('ADDON_API_URL is not set: set it to the API\'s public https address, e.g. ADDON_API_URL=https://api.example.com/');
    const parsed = parseApiUrl(PLACEHOLDER_API_URL) as ApiUrl;
    return { ...parsed, placeholder: true };
  }
  const parsed = parseApiUrl(value);
  if ('error' in parsed) throw new Error(`ADDON_API_URL is not usable: ${parsed.error}`);
  return { ...parsed, placeholder: parsed.whitelistPrefix === PLACEHOLDER_API_URL };
}

/** Problems of a manifest against the add-on's rules (empty when it is fine). */
export function manifestProblems(manifest: AddonManifest, apiUrl?: ApiUrl): string[] {
  const problems: string[] = [];
  if (manifest.runtimeVersion !== 'V8') problems.push('runtimeVersion must be V8.');
  if (!manifest.timeZone) problems.push('timeZone is missing.');
  const scopes = [...manifest.oauthScopes].sort();
  if (JSON.stringify(scopes) !== JSON.stringify([...ADDON_SCOPES].sort())) problems.push(`oauthScopes must be exactly: ${ADDON_SCOPES.join(', ')}.`);
  for (const prefix of manifest.urlFetchWhitelist) {
    const parsed = parseApiUrl(prefix);
    if ('error' in parsed || parsed.whitelistPrefix !== prefix) problems.push(`urlFetchWhitelist entry ${prefix} must be an https URL with a full domain, ending with "/".`);
  }
  if (apiUrl && JSON.stringify(manifest.urlFetchWhitelist) !== JSON.stringify([apiUrl.whitelistPrefix])) {
    problems.push(`urlFetchWhitelist must be exactly ["${apiUrl.whitelistPrefix}"] (from ADDON_API_URL).`);
  }
  if ('addOns' in manifest) problems.push('addOns is for Workspace add-ons (card UIs); an editor add-on has none.');
  return problems;
}

/** The manifest for the build: the repository's appsscript.json with the API prefix in urlFetchWhitelist. */
export function buildManifest(source: AddonManifest, apiUrl: ApiUrl): AddonManifest {
  const manifest = { ...source, urlFetchWhitelist: [apiUrl.whitelistPrefix] };
  const problems = manifestProblems(manifest, apiUrl);
  if (problems.length > 0) throw new Error(`appsscript.json: ${problems.join(' ')}`);
  return manifest;
}
