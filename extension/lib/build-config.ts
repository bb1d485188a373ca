/** What the extension is built for, read from the build-time environment (DESIGN §5: EXTENSION_*). */
export interface ExtensionBuildConfig {
  /** The API base the panels call, without a trailing slash (`http://127.0.0.1:8787`). */
  apiUrl: string;
  /** True when EXTENSION_API_URL was set: the build talks to that API only, so Connect does not ask for one. */
  apiUrlFixed: boolean;
  /** The manifest `host_permissions` entry for the API (origin + `/*`), so the panel reaches it without CORS. */
  apiMatchPattern: string;
  /** OAuth client id ("Web application", redirect `https://<id>.chromiumapp.org/`) for launchWebAuthFlow; null: no Google sign-in. */
  oauthClientId: string | null;
  /** Base64 public key pinning the extension id (the CORS origin and the OAuth redirect depend on it); null: id from the folder. */
  publicKey: string | null;
}

/** The part the extension's pages and worker need at run time (inlined by the build as `__AA_EXTENSION_BUILD__`). */
export type ExtensionRuntimeConfig = Pick<ExtensionBuildConfig, 'apiUrl' | 'apiUrlFixed' | 'oauthClientId'>;

export const DEFAULT_EXTENSION_API_URL = 'http://127.0.0.1:8787/';

const blank = (value: string | undefined) => (value?.trim() ? value.trim() : null);

/** Parses the build environment; throws one error listing every problem (the build then fails). */
export function extensionBuildConfig(env: Record<string, string | undefined>): ExtensionBuildConfig {
  const problems: string[] = [];
  const rawUrl = blank(env.EXTENSION_API_URL);
  let url: URL | null = null;
  try {
    url = new URL(rawUrl ?? DEFAULT_EXTENSION_API_URL);
  } catch {
    problems.push(`EXTENSION_API_URL: "${rawUrl}" is not a URL`);
  }
  if (url && !['http:', 'https:'].includes(url.protocol)) problems.push(`EXTENSION_API_URL: "${rawUrl}" must be http(s)`);
  if (url && (url.username || url.password || url.search || url.hash)) problems.push(`EXTENSION_API_URL: "${rawUrl}" must not carry credentials, a query or a fragment`);
  const oauthClientId = blank(env.EXTENSION_OAUTH_CLIENT_ID);
  if (oauthClientId && !/^[\w.-]+$/.test(oauthClientId)) problems.push('EXTENSION_OAUTH_CLIENT_ID: not an OAuth client id');
  // The manifest key is the DER public key in base64 (what `openssl rsa -pubout -outform DER | base64` prints).
  const publicKey = blank(env.EXTENSION_PUBLIC_KEY)?.replace(/\s+/g, '') ?? null;
  if (publicKey && !/^[A-Za-z0-9+/]+={0,2}$/.test(publicKey)) problems.push('EXTENSION_PUBLIC_KEY: not base64');
  if (problems.length > 0 || !url) throw new Error(`Bad extension build settings:\n- ${problems.join('\n- ')}`);
  return {
    apiUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    apiUrlFixed: rawUrl !== null,
    apiMatchPattern: `${url.origin}/*`,
    oauthClientId,
    publicKey,
  };
}

declare const __AA_EXTENSION_BUILD__: ExtensionRuntimeConfig | undefined;

/** The runtime settings the build inlined; the defaults where nothing was inlined (unit tests). */
export function runtimeConfig(): ExtensionRuntimeConfig {
  if (typeof __AA_EXTENSION_BUILD__ !== 'undefined') return __AA_EXTENSION_BUILD__;
  const { apiUrl, apiUrlFixed, oauthClientId } = extensionBuildConfig({});
  return { apiUrl, apiUrlFixed, oauthClientId };
}
