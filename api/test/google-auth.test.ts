import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { createGoogleIssuer } from './helpers/google-id-tokens.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

const DAY_MS = 86_400_000;

interface TokenInfo {
  id: string;
  source: string;
  clientId: string | null;
  current: boolean;
  expiresAt: string | null;
}
interface AuditEvent {
  type: string;
  userId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

let t: TestApp;
let google: Awaited<ReturnType<typeof createGoogleIssuer>>;
let counter = 0;
/** The app's clock: real time plus an offset a test can move (ID tokens are still checked against real time). */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

const unique = (prefix: string) => `${prefix}${++counter}-${Date.now()}`;
const signIn = (idToken: string) => t.app.inject({ method: 'POST', url: '/v1/auth/google', payload: { idToken } });
const admin = (options: Parameters<TestApp['as']>[1]) => t.as(ADMIN_TOKEN, options);

async function createUser(email: string) {
  const response = await admin({ method: 'POST', url: '/v1/admin/users', payload: { email } });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; email: string }>();
}

async function usersMatching(q: string) {
  return (await admin({ method: 'GET', url: `/v1/admin/users?q=${encodeURIComponent(q)}` })).json<{ items: Array<{ id: string }> }>().items;
}

async function tokensOf(userId: string) {
  const response = await admin({ method: 'GET', url: `/v1/admin/users/${userId}/tokens` });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: TokenInfo[] }>().items;
}

async function audit(type: string) {
  const response = await admin({ method: 'GET', url: `/v1/admin/audit?limit=100&type=${type}` });
  return response.json<{ items: AuditEvent[] }>().items;
}

function expectError(response: Awaited<ReturnType<typeof signIn>>, status: number, code: string, label: string) {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(status);
  expect(errorOf(response).code, label).toBe(code);
  expect(response.body, label).not.toMatch(/"token"\s*:/);
}

beforeAll(async () => {
  google = await createGoogleIssuer();
  t = await buildTestApp(
    { GOOGLE_CLIENT_IDS: 'client-a,client-b', GOOGLE_ALLOWED_DOMAINS: 'example.org' },
    { googleKeySource: google.keySource, clock },
  );
});
afterAll(() => t.close());

describe('POST /v1/auth/google', () => {
  it('signs in a user an admin created, matched by verified email, for 30 days', async () => {
    const email = `${unique('writer')}@gmail.com`;
    const created = await createUser(email.replace('writer', 'Writer'));
    const sub = unique('sub-');
    const before = Date.now();
    const response = await signIn(await google.sign({ sub, email, email_verified: true, name: 'Writer' }));
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token', 'tokenId', 'user']);
    expect(body.token).toMatch(/^aa_/);
    expect(body.tokenId).toMatch(/^tok_[0-9A-Z]{26}$/);
    expect(body.user).toMatchObject({ id: created.id, email, role: 'author', googleLinked: true, disabled: false });
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + LIMITS.googleTokenTtlDays * DAY_MS - 1_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + LIMITS.googleTokenTtlDays * DAY_MS + 1_000);
    expect(LIMITS.googleTokenTtlDays).toBe(30);

    const me = await t.as(body.token, { method: 'GET', url: '/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: created.id, googleLinked: true });

    const mine = (await t.as(body.token, { method: 'GET', url: '/v1/me/tokens' })).json<{ items: TokenInfo[] }>().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: body.tokenId, source: 'google', clientId: 'client-a', current: true, expiresAt: body.expiresAt });
    expect(JSON.stringify(mine)).not.toContain(body.token);

    // The same Google account again (also through the other client id, and from the bare issuer name).
    const again = await signIn(await google.sign({ sub, email, email_verified: true }));
    expect(again.statusCode).toBe(200);
    expect(again.json().user.id).toBe(created.id);
    expect(again.json().token).not.toBe(body.token);
    const viaB = await signIn(await google.sign({ sub, email, email_verified: true }, { audience: 'client-b', issuer: 'accounts.google.com' }));
    expect(viaB.statusCode, viaB.body).toBe(200);
    const clientIds = (await tokensOf(created.id)).map((token) => token.clientId).sort();
    expect(clientIds).toEqual(['client-a', 'client-a', 'client-b']);
    expect(await t.as(body.token, { method: 'GET', url: '/v1/me' }).then((r) => r.statusCode)).toBe(200);
  });

  it('a different Google account (sub) for an already linked email gets 403 SIGNUP_CLOSED', async () => {
    const email = `${unique('linked')}@gmail.com`;
    const user = await createUser(email);
    expect((await signIn(await google.sign({ sub: unique('owner-'), email, email_verified: true }))).statusCode).toBe(200);
    const intruder = await signIn(await google.sign({ sub: unique('intruder-'), email, email_verified: true }));
    expectError(intruder, 403, 'SIGNUP_CLOSED', 'other sub');
    expect((await tokensOf(user.id)).filter((token) => token.source === 'google')).toHaveLength(1);
  });

  it('admits an unknown verified account of an allowed domain as a new author', async () => {
    const email = `${unique('new')}@example.org`;
    const sub = unique('sub-');
    const response = await signIn(await google.sign({ sub, email, email_verified: true, hd: 'example.org', name: 'Ada Lovelace' }));
    expect(response.statusCode, response.body).toBe(200);
    const user = response.json().user;
    expect(user).toMatchObject({ email, name: 'Ada Lovelace', role: 'author', googleLinked: true, disabled: false });
    expect((await usersMatching(email)).map((item) => item.id)).toEqual([user.id]);
    const again = await signIn(await google.sign({ sub, email, email_verified: true, hd: 'example.org' }));
    expect(again.json().user.id).toBe(user.id);
    expect(await usersMatching(email)).toHaveLength(1);
  });

  it('refuses an unknown account of any other domain with 403 SIGNUP_CLOSED and creates nobody', async () => {
    for (const domain of ['gmail.com', 'sub.example.org', 'example.org.evil.com', 'notexample.org']) {
      const email = `${unique('stranger')}@${domain}`;
      const response = await signIn(await google.sign({ sub: unique('sub-'), email, email_verified: true }));
      expectError(response, 403, 'SIGNUP_CLOSED', domain);
      expect(await usersMatching(email), domain).toEqual([]);
    }
  });

  it('admits by domain only on the hosted-domain claim: a consumer account with an address at the domain is refused', async () => {
    for (const claims of [{}, { hd: 'other.org' }, { hd: 'sub.example.org' }]) {
      const email = `${unique('consumer')}@example.org`;
      const response = await signIn(await google.sign({ sub: unique('sub-'), email, email_verified: true, ...claims }));
      expectError(response, 403, 'SIGNUP_CLOSED', JSON.stringify(claims));
      expect(await usersMatching(email)).toEqual([]);
    }
  });

  it('exchanges one ID token once: the same token again is 401 and mints nothing', async () => {
    const email = `${unique('replay')}@gmail.com`;
    const user = await createUser(email);
    const idToken = await google.sign({ sub: unique('sub-'), email, email_verified: true });
    expect((await signIn(idToken)).statusCode).toBe(200);
    const replays = await Promise.all([signIn(idToken), signIn(idToken), signIn(idToken)]);
    for (const replay of replays) expectError(replay, 401, 'UNAUTHORIZED', 'replay');
    expect(errorOf(replays[0]!).message).toContain('already used');
    expect((await tokensOf(user.id)).filter((token) => token.source === 'google')).toHaveLength(1);
  });

  it('checks the authorized party when present: another client is 401, one of ours is admitted', async () => {
    const email = `${unique('azp')}@gmail.com`;
    await createUser(email);
    const sub = unique('sub-');
    expectError(await signIn(await google.sign({ sub, email, email_verified: true, azp: 'someone-elses-client' })), 401, 'UNAUTHORIZED', 'azp');
    expect((await signIn(await google.sign({ sub, email, email_verified: true, azp: 'client-b' }))).statusCode).toBe(200);
  });

  it('refuses an unverified email with 401, even of an allowed domain or an existing user', async () => {
    const existing = `${unique('unverified')}@gmail.com`;
    await createUser(existing);
    const cases = [
      { email: existing, email_verified: false },
      { email: `${unique('unverified')}@example.org`, email_verified: false },
      { email: `${unique('unverified')}@example.org` },
      { email: `${unique('unverified')}@example.org`, email_verified: 'false' },
      // Google sends a boolean; a string is not trusted, whatever it says.
      { email: existing, email_verified: 'true' },
      { email: `${unique('unverified')}@example.org`, email_verified: 'true', hd: 'example.org' },
    ];
    for (const claims of cases) {
      const response = await signIn(await google.sign({ sub: unique('sub-'), ...claims }));
      expectError(response, 401, 'UNAUTHORIZED', JSON.stringify(claims));
    }
    expect(await usersMatching(cases[1]!.email)).toEqual([]);
    expect((await usersMatching(existing))[0]).toBeDefined();
    const me = (await usersMatching(existing))[0]!;
    expect((await tokensOf(me.id)).length).toBe(0);
  });

  it('refuses a wrong audience, wrong issuer, expired token, bad signature or malformed token with 401', async () => {
    const email = `${unique('victim')}@gmail.com`;
    const user = await createUser(email);
    const claims = { sub: unique('sub-'), email, email_verified: true };
    const impostor = await createGoogleIssuer(google.kid);
    const cases: Array<[string, string]> = [
      ['wrong audience', await google.sign(claims, { audience: 'client-c' })],
      ['wrong issuer', await google.sign(claims, { issuer: 'https://evil.example.com' })],
      ['expired', await google.sign(claims, { expiresInS: -600 })],
      ['other key, same kid', await impostor.sign(claims)],
      ['unknown kid', await impostor.sign(claims, { kid: 'other-kid' })],
      ['not a JWT', 'definitely.not.ajwt'],
      ['tampered payload', tamper(await google.sign(claims), { email: 'admin@localhost' })],
      ['alg none', unsigned(claims)],
    ];
    for (const [label, idToken] of cases) expectError(await signIn(idToken), 401, 'UNAUTHORIZED', label);
    expect(await tokensOf(user.id)).toEqual([]);
    expectError(await t.app.inject({ method: 'POST', url: '/v1/auth/google', payload: {} }), 400, 'VALIDATION', 'no idToken');
  });

  it('the API token from a Google sign-in stops working after 30 days', async () => {
    const email = `${unique('expiring')}@gmail.com`;
    const user = await createUser(email);
    const response = await signIn(await google.sign({ sub: unique('sub-'), email, email_verified: true }));
    expect(response.statusCode).toBe(200);
    const { token, expiresAt } = response.json();
    try {
      clock.offsetMs = Date.parse(expiresAt) - Date.now() - 60_000;
      expect((await t.as(token, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
      clock.offsetMs = Date.parse(expiresAt) - Date.now() + 1_000;
      const expired = await t.as(token, { method: 'GET', url: '/v1/me' });
      expect(expired.statusCode).toBe(401);
      expect(errorOf(expired).code).toBe('UNAUTHORIZED');
      expect(await tokensOf(user.id)).toEqual([]);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('answers 403 ACCOUNT_DISABLED to a disabled user and issues no token', async () => {
    const email = `${unique('disabled')}@gmail.com`;
    const user = await createUser(email);
    const sub = unique('sub-');
    expect((await signIn(await google.sign({ sub, email, email_verified: true }))).statusCode).toBe(200);
    await admin({ method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { disabled: true } });
    const before = (await tokensOf(user.id)).length;
    expectError(await signIn(await google.sign({ sub, email, email_verified: true })), 403, 'ACCOUNT_DISABLED', 'disabled');
    expect((await tokensOf(user.id)).length).toBe(before);
  });

  it('keeps at most 10 active Google tokens per user and client, revoking the oldest', async () => {
    const email = `${unique('busy')}@gmail.com`;
    const user = await createUser(email);
    const sub = unique('sub-');
    const other = await signIn(await google.sign({ sub, email, email_verified: true }, { audience: 'client-b' }));
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await signIn(await google.sign({ sub, email, email_verified: true }));
      expect(response.statusCode).toBe(200);
      tokens.push(response.json().token);
    }
    const active = await tokensOf(user.id);
    const clientA = active.filter((token) => token.source === 'google' && token.clientId === 'client-a');
    expect(LIMITS.googleTokensPerClient).toBe(10);
    expect(clientA.length).toBeLessThanOrEqual(LIMITS.googleTokensPerClient);
    expect(clientA).toHaveLength(10);
    expect(active.filter((token) => token.clientId === 'client-b')).toHaveLength(1);
    const status = async (token: string) => (await t.as(token, { method: 'GET', url: '/v1/me' })).statusCode;
    expect(await status(tokens[0]!)).toBe(401);
    expect(await status(tokens[1]!)).toBe(401);
    expect(await status(tokens[2]!)).toBe(200);
    expect(await status(tokens[11]!)).toBe(200);
    expect(await status(other.json().token)).toBe(200);
  });

  it('audits successful and rejected sign-ins', async () => {
    const email = `${unique('audited')}@gmail.com`;
    const user = await createUser(email);
    const ok = await signIn(await google.sign({ sub: unique('sub-'), email, email_verified: true }));
    expect(ok.statusCode).toBe(200);
    const signins = await audit('auth.google.signin');
    expect(signins.find((event) => event.userId === user.id)?.details).toMatchObject({ tokenId: ok.json().tokenId });
    expect(JSON.stringify(signins)).not.toContain(ok.json().token);

    await signIn('garbage.token.here');
    await signIn(await google.sign({ sub: unique('sub-'), email: `${unique('x')}@example.org`, email_verified: false }));
    await signIn(await google.sign({ sub: unique('sub-'), email: `${unique('x')}@nowhere.test`, email_verified: true }));
    const reasons = (await audit('auth.google.rejected')).map((event) => event.details.reason);
    expect(reasons).toEqual(expect.arrayContaining(['invalid_token', 'email_unverified', 'signup_closed']));
    expect((await audit('auth.google.rejected')).every((event) => event.ip !== null)).toBe(true);
  });
});

describe('Google sign-in not configured', () => {
  it('answers 403 without GOOGLE_CLIENT_IDS and /v1/meta says it is off', async () => {
    const plain = await buildTestApp({}, { googleKeySource: google.keySource });
    try {
      const meta = (await plain.app.inject({ method: 'GET', url: '/v1/meta' })).json();
      expect(meta.googleSignIn).toBe(false);
      const idToken = await google.sign({ sub: 'sub-x', email: 'someone@example.org', email_verified: true });
      const response = await plain.app.inject({ method: 'POST', url: '/v1/auth/google', payload: { idToken } });
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('FORBIDDEN');
    } finally {
      await plain.close();
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/meta' })).json().googleSignIn).toBe(true);
  });
});

describe('sign-in rate limit', () => {
  it('limits /v1/auth/google per address to RATE_LIMIT_AUTH_PER_MIN with 429 and Retry-After', async () => {
    const limited = await buildTestApp(
      { GOOGLE_CLIENT_IDS: 'client-a', RATE_LIMIT_AUTH_PER_MIN: '3' },
      { googleKeySource: google.keySource },
    );
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await limited.app.inject({ method: 'POST', url: '/v1/auth/google', payload: { idToken: 'x.y.z' }, remoteAddress: '192.0.2.1' });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(errorOf(last!).code).toBe('RATE_LIMITED');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const elsewhere = await limited.app.inject({ method: 'POST', url: '/v1/auth/google', payload: { idToken: 'x.y.z' }, remoteAddress: '192.0.2.2' });
      expect(elsewhere.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

/** Replaces claims in a signed JWT's payload, keeping the original signature. */
function tamper(jwt: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), ...changes };
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

/** An unsigned (`alg: none`) token with otherwise valid claims. */
function unsigned(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, iss: 'https://accounts.google.com', aud: 'client-a', iat: now, exp: now + 3600 })}.`;
}
