// The principal cache (auth without a store read on every request) must never outlive a change made in this
// process: each test first uses the tokens, so they are cached, then changes them and expects the very next request
// to see it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { createPrincipalCache } from '../src/services/principal-cache.js';
import { hashToken, newRawToken } from '../src/services/tokens.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

let nowMs = Date.parse('2030-01-01T00:00:00.000Z');
const clock = { now: () => new Date(nowMs) };
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({}, { clock });
});
afterAll(() => t.close());

const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.as(ADMIN_TOKEN, { method, url, ...(payload && { payload }) });
const me = (token: string) => t.as(token, { method: 'GET', url: '/v1/me' });
async function warm(...tokens: string[]) {
  for (const token of tokens) for (let i = 0; i < 3; i++) expect((await me(token)).statusCode).toBe(200);
}
async function issue(userId: string) {
  const response = await admin('POST', `/v1/admin/users/${userId}/tokens`, {});
  expect(response.statusCode).toBe(201);
  return response.json<{ tokenId: string; token: string }>();
}

describe('a cached principal never outlives a change made through this process', () => {
  it('a revoked token gets 401 on its very next request; the user’s other token keeps working', async () => {
    const user = await t.newUser();
    const spare = await issue(user.id);
    await warm(user.token, spare.token);
    expect((await t.as(user.token, { method: 'DELETE', url: `/v1/me/tokens/${spare.tokenId}` })).statusCode).toBe(204);
    const refused = await me(spare.token);
    expect(refused.statusCode).toBe(401);
    expect(errorOf(refused).code).toBe('UNAUTHORIZED');
    expect((await me(user.token)).statusCode).toBe(200);
  });

  it('an admin revoking a token: 401 at once', async () => {
    const user = await t.newUser();
    const issued = await issue(user.id);
    await warm(issued.token);
    expect((await admin('DELETE', `/v1/admin/users/${user.id}/tokens/${issued.tokenId}`)).statusCode).toBe(204);
    expect((await me(issued.token)).statusCode).toBe(401);
  });

  it('revoke-all: every token of the user gets 401 at once, another user is untouched', async () => {
    const user = await t.newUser();
    const other = await t.newUser();
    const extra = await issue(user.id);
    await warm(user.token, extra.token, other.token);
    expect((await t.as(user.token, { method: 'POST', url: '/v1/me/tokens/revoke-all' })).statusCode).toBe(200);
    expect((await me(user.token)).statusCode).toBe(401);
    expect((await me(extra.token)).statusCode).toBe(401);
    expect((await me(other.token)).statusCode).toBe(200);
  });

  it('a disabled user gets 403 on the next request, and is back on the next one after re-enabling', async () => {
    const user = await t.newUser();
    await warm(user.token);
    expect((await admin('PATCH', `/v1/admin/users/${user.id}`, { disabled: true })).statusCode).toBe(200);
    const refused = await me(user.token);
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('ACCOUNT_DISABLED');
    expect((await admin('PATCH', `/v1/admin/users/${user.id}`, { disabled: false })).statusCode).toBe(200);
    expect((await me(user.token)).statusCode).toBe(200);
  });

  it('a role change applies to the next request, both ways', async () => {
    const user = await t.newUser('admin');
    const adminRoute = () => t.as(user.token, { method: 'GET', url: '/v1/admin/users' });
    for (let i = 0; i < 3; i++) expect((await adminRoute()).statusCode).toBe(200);
    expect((await admin('PATCH', `/v1/admin/users/${user.id}`, { role: 'author' })).statusCode).toBe(200);
    expect((await adminRoute()).statusCode).toBe(403);
    expect((await admin('PATCH', `/v1/admin/users/${user.id}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await adminRoute()).statusCode).toBe(200);
  });

  it('GET /v1/me shows a user change at once', async () => {
    const user = await t.newUser();
    await warm(user.token);
    expect((await admin('PATCH', `/v1/admin/users/${user.id}`, { name: 'Renamed Author' })).statusCode).toBe(200);
    expect((await me(user.token)).json<{ name: string | null }>().name).toBe('Renamed Author');
  });

  it('a token that expires while cached gets 401 at its expiry, by the service clock', async () => {
    const user = await t.newUser();
    const raw = newRawToken();
    await t.app.store.tokens.create({
      id: newId('token'), userId: user.id, hash: hashToken(raw), label: 'expiring', source: 'google', clientId: 'client',
      createdAt: clock.now().toISOString(), expiresAt: new Date(nowMs + 10_000).toISOString(), lastUsedAt: null, revokedAt: null,
    });
    await warm(raw);
    nowMs += 10_000;
    expect((await me(raw)).statusCode).toBe(401);
  });

  it('still marks a token used about once a minute', async () => {
    const user = await t.newUser();
    const lastUsed = async () =>
      (await t.as(user.token, { method: 'GET', url: '/v1/me/tokens' })).json<{ items: Array<{ current: boolean; lastUsedAt: string | null }> }>()
        .items.find((item) => item.current)!.lastUsedAt;
    await warm(user.token);
    const first = await lastUsed();
    expect(first).toBe(clock.now().toISOString());
    nowMs += 30_000;
    expect(await lastUsed()).toBe(first);
    nowMs += 31_000;
    expect(await lastUsed()).toBe(clock.now().toISOString());
  });

  it('never caches a failure: an unknown token stays 401, and counts as a failed attempt each time', async () => {
    const raw = newRawToken();
    for (let i = 0; i < 3; i++) expect((await me(raw)).statusCode).toBe(401);
  });
});

describe('createPrincipalCache', () => {
  const entry = (userId: string) => ({ principal: { userId }, userId, expiresAtMs: null, lastUsedMs: 0 });

  it('forgets entries after the TTL and evicts the oldest past the bound', () => {
    let now = 0;
    const cache = createPrincipalCache<{ userId: string }>({ ttlMs: 5_000, maxEntries: 2, now: () => now });
    cache.set('a', entry('u1'), cache.generation);
    now = 4_999;
    expect(cache.get('a')?.userId).toBe('u1');
    now = 5_000;
    expect(cache.get('a')).toBeUndefined();
    for (const key of ['x', 'y', 'z']) cache.set(key, entry('u2'), cache.generation);
    expect(cache.get('x')).toBeUndefined();
    expect(cache.get('y')?.userId).toBe('u2');
    expect(cache.get('z')?.userId).toBe('u2');
  });

  it('drops a user’s entries, and refuses what a lookup read before the drop', () => {
    const cache = createPrincipalCache<{ userId: string }>({ ttlMs: 5_000, maxEntries: 10 });
    cache.set('a', entry('u1'), cache.generation);
    cache.set('b', entry('u2'), cache.generation);
    const before = cache.generation;
    cache.dropUser('u1');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.userId).toBe('u2');
    cache.set('a', entry('u1'), before);
    expect(cache.get('a')).toBeUndefined();
  });
});
