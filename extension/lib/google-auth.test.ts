import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createGoogleAuth, GOOGLE_AUTH_URL, jwtClaims } from './google-auth.js';
import { googleAccessTokenExpiresAtItem, googleAccessTokenItem, googleIdTokenItem } from './storage.js';

const NOW = 1_800_000_000_000;
const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT-shaped ID token (the API checks signatures; the extension reads only exp and nonce). */
const idToken = (claims: object) => `${b64url({ alg: 'RS256' })}.${b64url(claims)}.c2lnbmF0dXJl`;

/** launchWebAuthFlow as Google answers it: the redirect URL with tokens (or an error) in the fragment. */
function fakeFlow(answer: (request: URL) => string | Error) {
  const calls: Array<{ url: URL; interactive: boolean }> = [];
  const launch = vi.fn(async ({ url, interactive }: { url: string; interactive: boolean }) => {
    const request = new URL(url);
    calls.push({ url: request, interactive });
    const result = answer(request);
    if (result instanceof Error) throw result;
    return result;
  });
  return { calls, launch };
}
const granted = (request: URL, extra: Record<string, string> = {}) => {
  const q = request.searchParams;
  const fragment = new URLSearchParams({
    access_token: 'ya29.fresh', token_type: 'Bearer', expires_in: '3599', scope: q.get('scope')!, state: q.get('state')!,
    id_token: idToken({ sub: '1', email: 'a@example.com', exp: NOW / 1000 + 3600, nonce: q.get('nonce') }), ...extra,
  });
  return `${REDIRECT}#${fragment.toString()}`;
};

function auth(flow: ReturnType<typeof fakeFlow>, clientId: string | null = 'client-1.apps.googleusercontent.com') {
  let n = 0;
  return createGoogleAuth({ clientId, launchWebAuthFlow: flow.launch, redirectUrl: () => REDIRECT, now: () => NOW, randomId: () => `r${++n}` });
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('Google access token', () => {
  it('uses a token in session storage (what tests put there) without any flow', async () => {
    await fakeBrowser.storage.session.set({ googleAccessToken: 'ya29.from-test' });
    const flow = fakeFlow(granted);
    expect(await auth(flow).getAccessToken()).toBe('ya29.from-test');
    expect(flow.launch).not.toHaveBeenCalled();
  });

  it('asks Google silently when the session has none or it is about to expire, and keeps the answer for the session', async () => {
    await googleAccessTokenItem.setValue('ya29.old');
    await googleAccessTokenExpiresAtItem.setValue(NOW + 30_000);
    const flow = fakeFlow(granted);
    expect(await auth(flow).getAccessToken()).toBe('ya29.fresh');
    const [call] = flow.calls;
    expect(call!.interactive).toBe(false);
    expect(`${call!.url.origin}${call!.url.pathname}`).toBe(GOOGLE_AUTH_URL);
    expect(Object.fromEntries(call!.url.searchParams)).toEqual({
      client_id: 'client-1.apps.googleusercontent.com', response_type: 'token id_token', redirect_uri: REDIRECT,
      scope: 'openid email https://www.googleapis.com/auth/documents', state: 'r1', nonce: 'r2', include_granted_scopes: 'true', prompt: 'none',
    });
    expect(await googleAccessTokenItem.getValue()).toBe('ya29.fresh');
    expect(await googleAccessTokenExpiresAtItem.getValue()).toBe(NOW + 3_599_000);
    expect(await googleIdTokenItem.getValue()).not.toBeNull();
  });

  it('always asks Google, with its consent screen allowed, for "Re-connect Google"', async () => {
    await googleAccessTokenItem.setValue('ya29.revoked');
    const flow = fakeFlow(granted);
    expect(await auth(flow).getAccessToken({ interactive: true })).toBe('ya29.fresh');
    expect(flow.calls[0]!.interactive).toBe(true);
    expect(flow.calls[0]!.url.searchParams.has('prompt')).toBe(false);
  });

  it('answers null when the author closes the window, Google refuses, the state is wrong, or there is no client', async () => {
    expect(await auth(fakeFlow(() => new Error('The user did not approve access.'))).getAccessToken({ interactive: true })).toBeNull();
    expect(await auth(fakeFlow(() => `${REDIRECT}#error=interaction_required&state=r1`)).getAccessToken()).toBeNull();
    expect(await auth(fakeFlow((request) => granted(request, { state: 'forged' }))).getAccessToken()).toBeNull();
    const flow = fakeFlow(granted);
    expect(await auth(flow, null).getAccessToken({ interactive: true })).toBeNull();
    expect(flow.launch).not.toHaveBeenCalled();
    expect(await googleAccessTokenItem.getValue()).toBeNull();
  });
});

describe('Google ID token', () => {
  it('reuses a valid one from the session, else signs in interactively', async () => {
    const stored = idToken({ sub: '1', exp: NOW / 1000 + 600 });
    await googleIdTokenItem.setValue(stored);
    const flow = fakeFlow(granted);
    expect(await auth(flow).getIdToken()).toBe(stored);
    expect(flow.launch).not.toHaveBeenCalled();

    await googleIdTokenItem.setValue(idToken({ sub: '1', exp: NOW / 1000 + 10 }));
    const fresh = await auth(flow).getIdToken();
    expect(jwtClaims(fresh!)).toMatchObject({ email: 'a@example.com', nonce: 'r2' });
    expect(flow.calls[0]!.interactive).toBe(true);
    expect(await googleAccessTokenItem.getValue()).toBe('ya29.fresh');
  });

  it('drops an ID token whose nonce is not the one sent', async () => {
    const flow = fakeFlow((request) => granted(request, { id_token: idToken({ sub: '1', exp: NOW / 1000 + 3600, nonce: 'replayed' }) }));
    expect(await auth(flow).getIdToken()).toBeNull();
    expect(await googleIdTokenItem.getValue()).toBeNull();
  });

  it('reads claims of malformed tokens as null', () => {
    expect(jwtClaims('nope')).toBeNull();
    expect(jwtClaims('a.%%%.c')).toBeNull();
  });
});
