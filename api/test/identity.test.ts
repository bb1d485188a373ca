import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ENDPOINTS, buildPath } from '../../shared/contract/index.js';
import { APP_VERSION } from '../src/config.js';
import { createAuditService } from '../src/services/audit-service.js';
import { systemClock } from '../src/services/clock.js';
import { createIdentityService } from '../src/services/identity-service.js';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';
import type { Store } from '../src/stores/types.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, openStoreOf, type TestApp } from './helpers/test-app.js';

const sha256 = (raw: string) => createHash('sha256').update(raw, 'utf8').digest('hex');

const USER_KEYS = [
  'createdAt', 'disabled', 'email', 'googleLinked', 'id', 'name', 'quotaDailyTokens', 'quotaMonthlyTokens', 'role',
  'updatedAt', 'version',
];
const TOKEN_INFO_KEYS = ['clientId', 'createdAt', 'current', 'expiresAt', 'id', 'label', 'lastUsedAt', 'source'];
const EXTENSION_ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

interface TokenInfo {
  id: string;
  label: string | null;
  source: string;
  current: boolean;
}
interface AuditEvent {
  id: string;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

let t: TestApp;
/** Every response body this file received from the main app, to prove no stored secret ever leaves the server. */
const bodies: string[] = [];
/** Every raw token this file saw, to prove none is stored as is. */
const rawTokens = new Set<string>([ADMIN_TOKEN]);

async function call(token: string | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  const response = token ? await t.as(token, options) : await t.app.inject(options);
  bodies.push(response.body);
  return response;
}
const admin = (options: InjectOptions) => call(ADMIN_TOKEN, options);

async function newUser(role: 'author' | 'admin' = 'author') {
  const user = await t.newUser(role);
  rawTokens.add(user.token);
  return user;
}

async function issueToken(userId: string, label?: string) {
  const response = await admin({ method: 'POST', url: `/v1/admin/users/${userId}/tokens`, payload: label ? { label } : {} });
  expect(response.statusCode).toBe(201);
  const issued = response.json<{ tokenId: string; token: string }>();
  rawTokens.add(issued.token);
  return issued;
}

const meStatus = async (token: string) => (await call(token, { method: 'GET', url: '/v1/me' })).statusCode;

async function auditEvents(query: string, token = ADMIN_TOKEN, app = t): Promise<AuditEvent[]> {
  const response = await app.as(token, { method: 'GET', url: `/v1/admin/audit?limit=100${query}` });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: AuditEvent[] }>().items;
}

beforeAll(async () => {
  t = await buildTestApp({ CORS_ORIGINS: 'https://docs.google.com,/^chrome-extension:\\/\\/[a-p]{32}$/' });
});
afterAll(() => t.close());

describe('GET /v1/me', () => {
  it('returns the signed-in user, whitelisted fields only', async () => {
    const user = await newUser();
    const response = await call(user.token, { method: 'GET', url: '/v1/me' });
    expect(response.statusCode).toBe(200);
    const me = response.json();
    expect(Object.keys(me).sort()).toEqual(USER_KEYS);
    expect(me).toMatchObject({ id: user.id, email: user.email, role: 'author', disabled: false, googleLinked: false, version: 1 });
    expect(me.id).toMatch(/^usr_[0-9A-Z]{26}$/);
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('answers 401 UNAUTHORIZED without a token, with a malformed one and with an unknown one', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer short' },
      { authorization: `Bearer aa_${'x'.repeat(43)}` },
    ];
    for (const headers of cases) {
      const response = await call(null, { method: 'GET', url: '/v1/me', headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(errorOf(response).code).toBe('UNAUTHORIZED');
    }
  });
});

describe('my tokens', () => {
  it('lists active tokens with the current one flagged and no secret', async () => {
    const user = await newUser();
    const second = await issueToken(user.id, 'laptop');
    const response = await call(user.token, { method: 'GET', url: '/v1/me/tokens' });
    expect(response.statusCode).toBe(200);
    const page = response.json<{ items: TokenInfo[]; nextCursor: string | null }>();
    expect(page.nextCursor).toBeNull();
    expect(page.items).toHaveLength(2);
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual(TOKEN_INFO_KEYS);
    expect(page.items.filter((item) => item.current)).toHaveLength(1);
    const other = page.items.find((item) => item.id === second.tokenId)!;
    expect(other).toMatchObject({ current: false, label: 'laptop', source: 'admin' });
    expect(response.body).not.toContain(user.token);
    expect(response.body).not.toContain(second.token);
    expect(response.body).not.toContain(sha256(user.token));
    expect(response.body).not.toContain(sha256(second.token));

    // Seen from the other token, the flag moves.
    const fromSecond = (await call(second.token, { method: 'GET', url: '/v1/me/tokens' })).json<{ items: TokenInfo[] }>();
    expect(fromSecond.items.find((item) => item.current)?.id).toBe(second.tokenId);
  });

  it('revokes one token: it stops working at once, the others keep working', async () => {
    const user = await newUser();
    const spare = await issueToken(user.id, 'spare');
    const revoked = await call(user.token, { method: 'DELETE', url: `/v1/me/tokens/${spare.tokenId}` });
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');
    expect(await meStatus(spare.token)).toBe(401);
    expect(await meStatus(user.token)).toBe(200);
    const listed = (await call(user.token, { method: 'GET', url: '/v1/me/tokens' })).json<{ items: TokenInfo[] }>();
    expect(listed.items.map((item) => item.id)).not.toContain(spare.tokenId);

    const again = await call(user.token, { method: 'DELETE', url: `/v1/me/tokens/${spare.tokenId}` });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('NOT_FOUND');
  });

  it("answers 404 for another user's token id and leaves that token working", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const bobTokens = (await call(bob.token, { method: 'GET', url: '/v1/me/tokens' })).json<{ items: TokenInfo[] }>();
    const bobTokenId = bobTokens.items[0]!.id;
    const response = await call(alice.token, { method: 'DELETE', url: `/v1/me/tokens/${bobTokenId}` });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('NOT_FOUND');
    expect(await meStatus(bob.token)).toBe(200);
    for (const id of ['nope', 'tok_00000000000000000000000000']) {
      expect((await call(alice.token, { method: 'DELETE', url: `/v1/me/tokens/${id}` })).statusCode).toBe(404);
    }
  });

  it('revoke-all signs out everywhere, including the calling token, and only for that user', async () => {
    const user = await newUser();
    const other = await newUser();
    const extra = [await issueToken(user.id, 'a'), await issueToken(user.id, 'b')];
    const response = await call(user.token, { method: 'POST', url: '/v1/me/tokens/revoke-all' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: 3 });
    for (const token of [user.token, ...extra.map((issued) => issued.token)]) expect(await meStatus(token)).toBe(401);
    expect(await meStatus(other.token)).toBe(200);
    const listed = (await admin({ method: 'GET', url: `/v1/admin/users/${user.id}/tokens` })).json<{ items: TokenInfo[] }>();
    expect(listed.items).toEqual([]);
  });
});

describe('admin: users', () => {
  it('creates a user (201), normalises the email, refuses a duplicate (409) and a bad email (400)', async () => {
    const email = `New.Writer+${Date.now()}@Example.COM`;
    const created = await admin({ method: 'POST', url: '/v1/admin/users', payload: { email, name: 'New Writer' } });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(Object.keys(user).sort()).toEqual(USER_KEYS);
    expect(user).toMatchObject({
      email: email.toLowerCase(), name: 'New Writer', role: 'author', disabled: false, googleLinked: false,
      quotaDailyTokens: null, quotaMonthlyTokens: null, version: 1,
    });
    expect(user.id).toMatch(/^usr_[0-9A-Z]{26}$/);

    for (const duplicate of [email, email.toLowerCase(), email.toUpperCase()]) {
      const response = await admin({ method: 'POST', url: '/v1/admin/users', payload: { email: duplicate } });
      expect(response.statusCode, duplicate).toBe(409);
      expect(errorOf(response).code).toBe('CONFLICT');
    }
    for (const payload of [{ email: 'not-an-email' }, { email: '' }, {}, { email: `${'a'.repeat(250)}@x.org` }, { email: 'ok@example.com', role: 'owner' }]) {
      const response = await admin({ method: 'POST', url: '/v1/admin/users', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
  });

  it('lists users newest first with complete, disjoint pages and a q search on email or name', async () => {
    const marker = `pager${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const payload = i % 2 === 0 ? { email: `${marker}-${i}@example.com` } : { email: `p${i}-${Date.now()}@example.com`, name: `Name ${marker.toUpperCase()} ${i}` };
      const response = await admin({ method: 'POST', url: '/v1/admin/users', payload });
      expect(response.statusCode).toBe(201);
      ids.push(response.json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/admin/users?limit=2&q=${marker}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await admin({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      const page = response.json<{ items: Array<{ id: string }>; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...ids].reverse());

    const all = (await admin({ method: 'GET', url: '/v1/admin/users?limit=100' })).json<{ items: Array<{ id: string; email: string }> }>();
    expect(all.items.map((item) => item.id)).toEqual(expect.arrayContaining(ids));
    expect(all.items.some((item) => item.email === 'admin@localhost')).toBe(true);

    // LIKE wildcards in q are taken literally.
    for (const q of ['%', '_']) {
      const response = await admin({ method: 'GET', url: `/v1/admin/users?q=${encodeURIComponent(q)}` });
      expect(response.statusCode).toBe(200);
      expect(response.json().items, q).toEqual([]);
    }
    for (const url of ['/v1/admin/users?limit=0', '/v1/admin/users?limit=101', '/v1/admin/users?cursor=!!!']) {
      const response = await admin({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
  });

  it('finds a user by a non-ASCII name typed exactly as stored', async () => {
    const name = `Élodie Ångström ${Date.now()}`;
    const created = await admin({ method: 'POST', url: '/v1/admin/users', payload: { email: `elodie-${Date.now()}@example.com`, name } });
    expect(created.statusCode).toBe(201);
    const response = await admin({ method: 'GET', url: `/v1/admin/users?q=${encodeURIComponent('Élodie Ångström')}` });
    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((item: { id: string }) => item.id)).toEqual([created.json().id]);
  });

  it('PATCH changes role and quotas with a version compare-and-swap', async () => {
    const user = await newUser();
    expect((await call(user.token, { method: 'GET', url: '/v1/admin/users' })).statusCode).toBe(403);

    const promoted = await admin({
      method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { version: 1, role: 'admin', quotaDailyTokens: 5000, quotaMonthlyTokens: 100000 },
    });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ id: user.id, role: 'admin', quotaDailyTokens: 5000, quotaMonthlyTokens: 100000, version: 2 });
    expect((await call(user.token, { method: 'GET', url: '/v1/admin/users' })).statusCode).toBe(200);

    const stale = await admin({ method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { version: 1, role: 'author' } });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', details: { current: { id: user.id, role: 'admin', version: 2 } } });

    const cleared = await admin({ method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { role: 'author', quotaDailyTokens: null } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ role: 'author', quotaDailyTokens: null, quotaMonthlyTokens: 100000, version: 3 });
    expect((await call(user.token, { method: 'GET', url: '/v1/admin/users' })).statusCode).toBe(403);

    for (const payload of [{ quotaDailyTokens: -1 }, { quotaDailyTokens: 1.5 }, { role: 'root' }, { version: 0 }, { disabled: 'yes' }]) {
      const response = await admin({ method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
    const missing = await admin({ method: 'PATCH', url: '/v1/admin/users/usr_00000000000000000000000000', payload: { role: 'author' } });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
  });

  it('a disabled user gets 403 ACCOUNT_DISABLED on every token until re-enabled', async () => {
    const user = await newUser();
    const second = await issueToken(user.id);
    const disabled = await admin({ method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    for (const token of [user.token, second.token]) {
      const response = await call(token, { method: 'GET', url: '/v1/me' });
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('ACCOUNT_DISABLED');
      expect((await call(token, { method: 'GET', url: '/v1/books' })).statusCode).toBe(403);
    }
    await admin({ method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { disabled: false } });
    expect(await meStatus(user.token)).toBe(200);
    expect(await meStatus(second.token)).toBe(200);
  });
});

describe('admin: tokens', () => {
  it('issues a token shown once (aa_…), lists it without the secret and revokes it', async () => {
    const user = await newUser();
    const issued = await issueToken(user.id, 'Docs add-on');
    expect(issued.token).toMatch(/^aa_[A-Za-z0-9_-]{40,}$/);
    expect(issued.tokenId).toMatch(/^tok_[0-9A-Z]{26}$/);
    expect(await meStatus(issued.token)).toBe(200);

    const listed = await admin({ method: 'GET', url: `/v1/admin/users/${user.id}/tokens` });
    expect(listed.statusCode).toBe(200);
    const items = listed.json<{ items: TokenInfo[] }>().items;
    expect(items.map((item) => item.id)).toContain(issued.tokenId);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(TOKEN_INFO_KEYS);
      expect(item.current).toBe(false);
    }
    expect(items.find((item) => item.id === issued.tokenId)).toMatchObject({ label: 'Docs add-on', source: 'admin' });
    expect(listed.body).not.toContain(issued.token);
    expect(listed.body).not.toContain(sha256(issued.token));

    const wrongUser = await newUser();
    const crossed = await admin({ method: 'DELETE', url: `/v1/admin/users/${wrongUser.id}/tokens/${issued.tokenId}` });
    expect(crossed.statusCode).toBe(404);
    expect(await meStatus(issued.token)).toBe(200);

    const revoked = await admin({ method: 'DELETE', url: `/v1/admin/users/${user.id}/tokens/${issued.tokenId}` });
    expect(revoked.statusCode).toBe(204);
    expect(await meStatus(issued.token)).toBe(401);
    expect(await meStatus(user.token)).toBe(200);
    const after = (await admin({ method: 'GET', url: `/v1/admin/users/${user.id}/tokens` })).json<{ items: TokenInfo[] }>();
    expect(after.items.map((item) => item.id)).not.toContain(issued.tokenId);
    expect((await admin({ method: 'DELETE', url: `/v1/admin/users/${user.id}/tokens/${issued.tokenId}` })).statusCode).toBe(404);
  });

  it('issues a token without a body and answers 404 for an unknown user', async () => {
    const user = await newUser();
    const bare = await admin({ method: 'POST', url: `/v1/admin/users/${user.id}/tokens` });
    expect(bare.statusCode).toBe(201);
    rawTokens.add(bare.json().token);
    expect(await meStatus(bare.json().token)).toBe(200);

    const unknown = 'usr_00000000000000000000000000';
    for (const [method, url] of [['POST', `/v1/admin/users/${unknown}/tokens`], ['GET', `/v1/admin/users/${unknown}/tokens`]] as const) {
      const response = await admin({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }
    const tooLong = await admin({ method: 'POST', url: `/v1/admin/users/${user.id}/tokens`, payload: { label: 'x'.repeat(101) } });
    expect(tooLong.statusCode).toBe(400);
  });

  it('the store holds only the SHA-256 of each token, never the token itself', async () => {
    const user = await newUser();
    const issued = await issueToken(user.id, 'stored-check');
    const file = path.join(t.dataDir, 'auto-author.sqlite');
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const hashes = new Set((db.prepare('SELECT hash FROM tokens').all() as Array<{ hash: string }>).map((row) => row.hash));
      for (const raw of [ADMIN_TOKEN, user.token, issued.token]) expect(hashes.has(sha256(raw))).toBe(true);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name);
      const dump = tables.map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all())).join('\n');
      for (const raw of rawTokens) expect(dump.includes(raw), `raw token in the store: ${raw.slice(0, 8)}…`).toBe(false);
    } finally {
      db.close();
    }
    // And not in the bytes on disk either (main file and write-ahead log).
    for (const suffix of ['', '-wal']) {
      if (!existsSync(file + suffix)) continue;
      const bytes = readFileSync(file + suffix);
      for (const raw of rawTokens) expect(bytes.includes(Buffer.from(raw, 'utf8')), `raw token in ${suffix || 'db'}`).toBe(false);
    }
  });

  it('no response ever carries a stored token hash', async () => {
    // A last sweep over every read that returns tokens, users or audit events.
    const user = await newUser();
    await call(user.token, { method: 'GET', url: '/v1/me' });
    await call(user.token, { method: 'GET', url: '/v1/me/tokens' });
    await admin({ method: 'GET', url: `/v1/admin/users/${user.id}/tokens` });
    await admin({ method: 'GET', url: '/v1/admin/users?limit=100' });
    await admin({ method: 'GET', url: '/v1/admin/audit?limit=100' });
    // The hash the store keeps of every token this file was given (the test above checks that it keeps exactly that).
    const hashes = [...rawTokens].map(sha256);
    expect(hashes.length).toBeGreaterThan(5);
    const everything = bodies.join('\n');
    for (const hash of hashes) expect(everything.includes(hash), `hash ${hash.slice(0, 8)}… leaked`).toBe(false);
    expect(everything).not.toMatch(/"hash"\s*:/);
  });
});

describe('admin routes need an administrator', () => {
  it('answers 403 FORBIDDEN to an author on every /v1/admin/* endpoint, and changes nothing', async () => {
    const author = await newUser();
    const target = await newUser();
    const adminEndpoints = ALL_ENDPOINTS.filter(([, def]) => def.path.startsWith('/v1/admin/'));
    expect(adminEndpoints.length).toBeGreaterThanOrEqual(7);
    expect(adminEndpoints.every(([, def]) => def.auth === 'admin')).toBe(true);
    const tokenId = (await admin({ method: 'GET', url: `/v1/admin/users/${target.id}/tokens` })).json<{ items: TokenInfo[] }>().items[0]!.id;
    const email = `forbidden-${Date.now()}@example.com`;
    for (const [name, def] of adminEndpoints) {
      const url = buildPath(def.path, { userId: target.id, tokenId });
      const payload = def.method === 'GET' || def.method === 'DELETE' ? undefined : { email, role: 'admin', disabled: true };
      const response = await call(author.token, { method: def.method, url, ...(payload ? { payload } : {}) });
      expect(response.statusCode, name).toBe(403);
      expect(errorOf(response).code, name).toBe('FORBIDDEN');
    }
    expect(await meStatus(target.token)).toBe(200);
    const me = (await call(target.token, { method: 'GET', url: '/v1/me' })).json();
    expect(me).toMatchObject({ role: 'author', disabled: false, version: 1 });
    expect((await admin({ method: 'GET', url: `/v1/admin/users?q=${email}` })).json().items).toEqual([]);
  });
});

describe('audit log', () => {
  it('records user.created, token.issued and token.revoked, filterable by type and user, paged', async () => {
    const user = await newUser();
    const adminId = (await admin({ method: 'GET', url: '/v1/me' })).json().id;
    const issued = await issueToken(user.id, 'audited');
    await admin({ method: 'DELETE', url: `/v1/admin/users/${user.id}/tokens/${issued.tokenId}` });

    const mine = await auditEvents(`&userId=${user.id}`);
    const types = mine.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['user.created', 'token.issued', 'token.revoked']));
    expect(mine.every((event) => event.userId === user.id)).toBe(true);
    const created = mine.find((event) => event.type === 'user.created')!;
    expect(created.actorId).toBe(adminId);
    const revoked = mine.find((event) => event.type === 'token.revoked')!;
    expect(revoked).toMatchObject({ actorId: adminId, details: { tokenId: issued.tokenId } });
    const issuedEvents = mine.filter((event) => event.type === 'token.issued').map((event) => event.details.tokenId);
    expect(issuedEvents).toContain(issued.tokenId);
    // Newest first.
    expect(mine.map((event) => event.id)).toEqual([...mine.map((event) => event.id)].sort().reverse());

    for (const type of ['token.issued', 'token.revoked', 'user.created']) {
      const events = await auditEvents(`&type=${type}`);
      expect(events.length, type).toBeGreaterThan(0);
      expect(events.every((event) => event.type === type), type).toBe(true);
    }
    expect(await auditEvents('&type=no.such.type')).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/admin/audit?limit=2&userId=${user.id}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await admin({ method: 'GET', url })).json<{ items: AuditEvent[]; nextCursor: string | null }>();
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(mine.map((event) => event.id));
  });
});

describe('bad-token lockout', () => {
  let locked: TestApp;
  beforeAll(async () => {
    locked = await buildTestApp({ RATE_LIMIT_AUTH_PER_MIN: '10' });
  });
  afterAll(() => locked.close());

  const badToken = (i: number | string) => `aa_wrong-token-${i}-${'x'.repeat(30)}`;

  it('after RATE_LIMIT_AUTH_PER_MIN failures a bad token from that address gets 429 with Retry-After', async () => {
    const attacker = '203.0.113.7';
    for (let i = 0; i < 10; i++) {
      const response = await locked.as(badToken(i), { method: 'GET', url: '/v1/me', remoteAddress: attacker });
      expect(response.statusCode, `attempt ${i + 1}`).toBe(401);
      expect(errorOf(response).code).toBe('UNAUTHORIZED');
    }
    const refused = await locked.as(badToken('next'), { method: 'GET', url: '/v1/me', remoteAddress: attacker });
    expect(refused.statusCode).toBe(429);
    const error = errorOf(refused);
    expect(error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(error.details).toMatchObject({ retryAfterS: retryAfter });

    // Other addresses are not affected.
    expect((await locked.as(badToken('elsewhere'), { method: 'GET', url: '/v1/me', remoteAddress: '198.51.100.9' })).statusCode).toBe(401);

    const failed = (await auditEvents('&type=auth.failed', ADMIN_TOKEN, locked)).filter((event) => event.ip === attacker);
    const lockedEvents = (await auditEvents('&type=auth.locked', ADMIN_TOKEN, locked)).filter((event) => event.ip === attacker);
    expect(failed).toHaveLength(1);
    expect(lockedEvents).toHaveLength(1);
    expect(lockedEvents[0]!.details).toMatchObject({ count: 10 });
  });

  it('ten bad tokens from an address never lock out a valid token from it, an author\'s or the admin\'s', async () => {
    const shared = '203.0.113.80'; // e.g. everyone behind one office proxy
    const user = await locked.newUser();
    for (let i = 0; i < 10; i++) await locked.as(badToken(i), { method: 'GET', url: '/v1/me', remoteAddress: shared });
    expect((await locked.as(badToken('more'), { method: 'GET', url: '/v1/me', remoteAddress: shared })).statusCode).toBe(429);

    const author = await locked.as(user.token, { method: 'GET', url: '/v1/me', remoteAddress: shared });
    expect(author.statusCode).toBe(200);
    expect(author.json().id).toBe(user.id);
    const admin = await locked.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/admin/users?limit=1', remoteAddress: shared });
    expect(admin.statusCode).toBe(200);
    // A fresh token (never cached) verifies against the store and is admitted too.
    const another = await locked.newUser();
    expect((await locked.as(another.token, { method: 'GET', url: '/v1/me', remoteAddress: shared })).statusCode).toBe(200);
  });
});

describe('admin bootstrap', () => {
  it('a fresh store with ADMIN_TOKEN gets exactly one admin, whose token is ADMIN_TOKEN', async () => {
    const fresh = await buildTestApp();
    try {
      expect(fresh.app.bootstrapToken).toBeNull();
      const me = await fresh.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/me' });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ role: 'admin', email: 'admin@localhost' });
      const users = (await fresh.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/admin/users?limit=100' })).json().items;
      expect(users).toHaveLength(1);
      expect(users[0].role).toBe('admin');
      expect(await auditEvents('&type=admin.bootstrap', ADMIN_TOKEN, fresh)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('servers starting together on one fresh store make one admin, and ADMIN_TOKEN is stored once', async () => {
    // Two servers' connections to one new SQLite file, both seeing it empty before either writes (the race a
    // simultaneous start can hit): each bootstrap waits at the count until both have counted.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-bootstrap-race-'));
    const stores = [openSqliteStore(dataDir), openSqliteStore(dataDir)];
    try {
      let counted = 0;
      let bothCounted = () => {};
      const barrier = new Promise<void>((resolve) => (bothCounted = resolve));
      const services = stores.map((store) => {
        const racing: Store = Object.create(store);
        Object.defineProperty(racing, 'users', {
          value: {
            ...store.users,
            count: async () => {
              const count = await store.users.count();
              if (++counted === 2) bothCounted();
              await barrier;
              return count;
            },
          },
        });
        const audit = createAuditService({ store: racing, clock: systemClock, log: { error: () => {} }, retentionDays: 365 });
        return createIdentityService({ store: racing, audit, clock: systemClock });
      });
      const outcomes = await Promise.allSettled(services.map((service) => service.bootstrap(ADMIN_TOKEN)));
      expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'ok'))).toEqual(['ok', 'ok']);
      expect(await stores[0]!.users.count()).toBe(1);
      const token = await stores[0]!.tokens.findByHash(sha256(ADMIN_TOKEN));
      expect(token).toMatchObject({ source: 'bootstrap' });
      expect((await stores[0]!.tokens.listByUser(token!.userId)).length).toBe(1);
    } finally {
      for (const store of stores) await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('without ADMIN_TOKEN prints a working token once; a restart creates no second admin', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-bootstrap-'));
    try {
      const first = await buildTestApp({ ADMIN_TOKEN: '' }, { dataDir });
      const token = first.app.bootstrapToken;
      expect(first.config.adminToken).toBeNull();
      expect(token).toMatch(/^aa_[A-Za-z0-9_-]{40,}$/);
      const me = await first.as(token!, { method: 'GET', url: '/v1/me' });
      expect(me.statusCode).toBe(200);
      expect(me.json().role).toBe('admin');
      expect((await first.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
      await first.close();

      const second = await buildTestApp({ ADMIN_TOKEN: '' }, { dataDir });
      try {
        expect(second.app.bootstrapToken).toBeNull();
        expect((await second.as(token!, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
        const users = (await second.as(token!, { method: 'GET', url: '/v1/admin/users?limit=100' })).json().items;
        expect(users).toHaveLength(1);
        expect(await auditEvents('&type=admin.bootstrap', token!, second)).toHaveLength(1);
      } finally {
        await second.close();
      }

      // Restarting with ADMIN_TOKEN set does not create another admin either.
      const third = await buildTestApp({}, { dataDir });
      try {
        expect(third.app.bootstrapToken).toBeNull();
        const users = (await third.as(token!, { method: 'GET', url: '/v1/admin/users?limit=100' })).json().items;
        expect(users).toHaveLength(1);
      } finally {
        await third.close();
      }

      const store = await openStoreOf(third);
      try {
        const stored = await store.tokens.findByHash(sha256(token!));
        expect(stored).not.toBeNull();
        expect(JSON.stringify(stored)).not.toContain(token!);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('system routes', () => {
  it('GET /health/live and /health/ready answer without auth', async () => {
    const live = await call(null, { method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    expect(live.headers['x-request-id']).toMatch(/^req_/);

    const ready = await call(null, { method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const body = ready.json();
    expect(body).toMatchObject({ status: 'ok', version: APP_VERSION, checks: { store: { status: 'ok' } } });
    expect(typeof body.uptimeS).toBe('number');
  });

  it('GET /v1/meta answers without auth', async () => {
    const response = await call(null, { method: 'GET', url: '/v1/meta' });
    expect(response.statusCode).toBe(200);
    const meta = response.json();
    expect(meta).toMatchObject({ name: 'Auto-Author', version: APP_VERSION, googleSignIn: false, ai: { offline: true } });
    expect(meta.limits).toMatchObject({ chaptersPerBook: 200, pageLimitMax: 100 });
  });

  it('answers with its own request id whatever the client sends as x-request-id', async () => {
    for (const sent of ['panel-123:abc', 'bad id <script>']) {
      const response = await call(null, { method: 'GET', url: '/health/live', headers: { 'x-request-id': sent } });
      expect(response.headers['x-request-id']).toMatch(/^req_/);
    }
  });

  it('/openapi.json lists every path and method of the shared contract', async () => {
    const response = await call(null, { method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{ openapi: string; info: { version: string }; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.version).toBe(APP_VERSION);
    expect(ALL_ENDPOINTS.length).toBeGreaterThan(20);
    for (const [name, def] of ALL_ENDPOINTS) {
      const openApiPath = def.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[openApiPath], `${name}: ${openApiPath}`).toBeDefined();
      expect(doc.paths[openApiPath]![def.method.toLowerCase()], `${name}: ${def.method} ${openApiPath}`).toBeDefined();
    }
  });

  it('/docs answers with an HTML page', async () => {
    let response = await call(null, { method: 'GET', url: '/docs' });
    if (response.statusCode >= 300 && response.statusCode < 400 && response.headers.location) {
      response = await call(null, { method: 'GET', url: new URL(response.headers.location, 'http://localhost/docs').pathname });
    }
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toMatch(/<html/i);
  });

  it('an unknown route answers 404 in the error shape', async () => {
    for (const [method, url] of [['GET', '/v1/nope'], ['GET', '/nope?x=1'], ['DELETE', '/v1/meta'], ['POST', '/v1/me']] as const) {
      const response = await call(ADMIN_TOKEN, { method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      const error = errorOf(response);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.requestId).toBe(response.headers['x-request-id']);
      expect(error.message).not.toContain('?');
    }
  });
});

describe('security headers', () => {
  it('every response carries helmet\'s headers with a cross-origin resource policy; /docs keeps its own CSP', async () => {
    for (const url of ['/v1/meta', '/v1/nope', '/docs/']) {
      const response = await call(null, { method: 'GET', url });
      expect(response.headers, url).toMatchObject({
        'cross-origin-resource-policy': 'cross-origin',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'x-request-id': expect.any(String),
      });
    }
    expect((await call(null, { method: 'GET', url: '/v1/meta' })).headers['content-security-policy']).toBeUndefined();
    expect((await call(null, { method: 'GET', url: '/docs/' })).headers['content-security-policy']).toContain("object-src 'none'");
  });
});

describe('CORS', () => {
  const cors = (origin: string, method: 'GET' | 'OPTIONS' = 'GET', headers: Record<string, string> = {}) =>
    call(null, { method, url: method === 'GET' ? '/v1/meta' : '/v1/books', headers: { origin, ...headers } });

  it('an allowed exact origin and a /regex/ origin get access-control-allow-origin and the exposed headers', async () => {
    for (const origin of ['https://docs.google.com', EXTENSION_ORIGIN]) {
      const response = await cors(origin);
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin'], origin).toBe(origin);
      const exposed = String(response.headers['access-control-expose-headers'] ?? '').toLowerCase();
      for (const header of ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
        expect(exposed, header).toContain(header);
      }
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('a disallowed origin and Origin: null get no CORS headers', async () => {
    for (const origin of ['https://evil.example', 'null', 'https://docs.google.com.evil.example', 'http://docs.google.com', 'chrome-extension://short']) {
      const response = await cors(origin);
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin'], origin).toBeUndefined();
      expect(response.headers['access-control-expose-headers'], origin).toBeUndefined();
    }
  });

  it('a preflight OPTIONS from an allowed origin lists the methods and headers', async () => {
    const response = await cors('https://docs.google.com', 'OPTIONS', {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://docs.google.com');
    const methods = String(response.headers['access-control-allow-methods']);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) expect(methods).toContain(method);
    const headers = String(response.headers['access-control-allow-headers']).toLowerCase();
    for (const header of ['authorization', 'content-type', 'x-request-id']) expect(headers).toContain(header);
    expect(response.headers['access-control-max-age']).toBe('600');

    const denied = await cors('https://evil.example', 'OPTIONS', { 'access-control-request-method': 'DELETE' });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });
});
