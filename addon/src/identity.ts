import { parseApiUrl } from './api-url.js';
import type { GasScriptApp, GasUrlFetchApp } from './apps-script-slices.js';

/** The signed-in user's Google ID token (about an hour valid), for `POST /v1/auth/google`. */
export function identityToken(scriptApp: GasScriptApp): string {
  const token = scriptApp.getIdentityToken();
  if (!token) throw new Error('Google gave no identity token: the add-on needs the openid and userinfo.email scopes.');
  return token;
}

/** What `POST /v1/auth/google` returns, as far as the add-on reads it. */
export interface GoogleSignIn {
  token: string;
  expiresAt: string;
  user: { id: string; email: string | null; name: string | null };
}

function apiError(status: number, text: string): Error {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; requestId?: string } };
    if (body.error?.code) {
      const request = body.error.requestId ? ` (request ${body.error.requestId})` : '';
      return new Error(`${body.error.code}: ${body.error.message ?? 'The API refused the sign-in.'}${request}`);
    }
  } catch {
    // Not the API's error shape: fall through.
  }
  return new Error(`The API answered ${status} to the sign-in.`);
}

/**
 * Exchanges the user's Google identity for an API token with `POST /v1/auth/google`, from the script (UrlFetchApp
 * may only reach the `urlFetchWhitelist` prefix the add-on was built with).
 */
export function exchangeIdentityToken(deps: { scriptApp: GasScriptApp; urlFetchApp: GasUrlFetchApp; apiUrl: string; allowedPrefix: string }): GoogleSignIn {
  const parsed = parseApiUrl(deps.apiUrl);
  if ('error' in parsed) throw new Error(parsed.error);
  if (!parsed.whitelistPrefix.startsWith(deps.allowedPrefix)) {
    throw new Error(`The add-on may only call ${deps.allowedPrefix} from the script; sign in from the sidebar for ${parsed.baseUrl}.`);
  }
  const response = deps.urlFetchApp.fetch(`${parsed.baseUrl}/v1/auth/google`, {
    method: 'post',
    contentType: 'application/json',
    payload: JSON.stringify({ idToken: identityToken(deps.scriptApp) }),
    headers: { accept: 'application/json' },
    muteHttpExceptions: true,
  });
  const status = response.getResponseCode();
  const text = response.getContentText();
  if (status !== 200) throw apiError(status, text);
  const body = JSON.parse(text) as Partial<GoogleSignIn>;
  if (typeof body.token !== 'string' || !body.user) throw new Error('The API answered the sign-in without a token.');
  return { token: body.token, expiresAt: String(body.expiresAt ?? ''), user: { id: String(body.user.id), email: body.user.email ?? null, name: body.user.name ?? null } };
}
