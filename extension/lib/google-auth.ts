import { googleAccessTokenExpiresAtItem, googleAccessTokenItem, googleIdTokenItem } from './storage.js';

/** Google's OAuth 2.0 authorization endpoint (implicit flow: tokens come back in the redirect's fragment). */
export const GOOGLE_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
/** Sign-in (openid email) and the Docs scope the API needs to write into the author's document. */
export const GOOGLE_SCOPES = ['openid', 'email', 'https://www.googleapis.com/auth/documents'];
/** A token this close to expiry is not handed out (a write may take a while). */
const EXPIRY_MARGIN_MS = 60_000;

export interface GoogleAuthOptions {
  /** OAuth client id ("Web application" with redirect `https://<extension id>.chromiumapp.org/`); null: no flow. */
  clientId: string | null;
  /** `browser.identity.launchWebAuthFlow`. */
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  /** `browser.identity.getRedirectURL()`. */
  redirectUrl(): string;
  now?: () => number;
  randomId?: () => string;
}

export interface GoogleAuth {
  /** An access token: the session's while it is valid, else a silent flow; `interactive` always asks Google again. */
  getAccessToken(options?: { interactive?: boolean }): Promise<string | null>;
  /** An ID token for `POST /v1/auth/google`: the session's while valid, else an interactive flow (a sign-in click). */
  getIdToken(): Promise<string | null>;
}

/** The claims of a JWT, unverified (the API verifies the signature; here only `exp` and `nonce` matter). */
export function jwtClaims(token: string): { exp?: number; nonce?: string } | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === 'object' ? (claims as { exp?: number; nonce?: string }) : null;
  } catch {
    return null;
  }
}

/** Google tokens through `identity.launchWebAuthFlow` (works in every Chromium, unlike getAuthToken), kept in session storage. */
export function createGoogleAuth(options: GoogleAuthOptions): GoogleAuth {
  const now = options.now ?? Date.now;
  const randomId = options.randomId ?? (() => crypto.randomUUID());

  /** One implicit-flow round trip for an access token and an ID token; null when Google or the author says no. */
  async function runFlow(interactive: boolean): Promise<{ accessToken: string; idToken: string | null } | null> {
    if (!options.clientId) return null;
    const state = randomId();
    const nonce = randomId();
    const url = new URL(GOOGLE_AUTH_URL);
    url.search = new URLSearchParams({
      client_id: options.clientId, response_type: 'token id_token', redirect_uri: options.redirectUrl(),
      scope: GOOGLE_SCOPES.join(' '), state, nonce, include_granted_scopes: 'true', ...(interactive ? {} : { prompt: 'none' }),
    }).toString();
    let redirected: string | undefined;
    try {
      redirected = await options.launchWebAuthFlow({ url: url.toString(), interactive });
    } catch {
      // Closed window, refused consent, or a silent flow that needs the author: no token.
      return null;
    }
    if (!redirected) return null;
    const fragment = new URLSearchParams(new URL(redirected).hash.replace(/^#/, ''));
    const accessToken = fragment.get('access_token');
    if (fragment.get('state') !== state || !accessToken) return null;
    const idToken = fragment.get('id_token');
    const validIdToken = idToken && jwtClaims(idToken)?.nonce === nonce ? idToken : null;
    const expiresInS = Number(fragment.get('expires_in'));
    await googleAccessTokenItem.setValue(accessToken);
    await googleAccessTokenExpiresAtItem.setValue(now() + (Number.isFinite(expiresInS) && expiresInS > 0 ? expiresInS : 3_600) * 1000);
    if (validIdToken) await googleIdTokenItem.setValue(validIdToken);
    return { accessToken, idToken: validIdToken };
  }

  return {
    async getAccessToken({ interactive = false } = {}) {
      if (!interactive) {
        const [token, expiresAt] = await Promise.all([googleAccessTokenItem.getValue(), googleAccessTokenExpiresAtItem.getValue()]);
        if (token && (expiresAt === null || expiresAt - EXPIRY_MARGIN_MS > now())) return token;
      }
      return (await runFlow(interactive))?.accessToken ?? null;
    },
    async getIdToken() {
      const token = await googleIdTokenItem.getValue();
      const exp = token ? jwtClaims(token)?.exp : undefined;
      if (token && typeof exp === 'number' && exp * 1000 - EXPIRY_MARGIN_MS > now()) return token;
      return (await runFlow(true))?.idToken ?? null;
    },
  };
}
