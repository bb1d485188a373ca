import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverOptions } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createTokenCipher, keyIdOf, TokenDecryptError } from '../src/lib/token-crypto.js';
import { systemClock } from '../src/services/clock.js';
import { createGoogleCredentialsService, GOOGLE_DOCS_SCOPE } from '../src/services/google-credentials-service.js';
import { SQLITE_FILE } from '../src/stores/sqlite/sqlite-store.js';
import { bookWithDrafts, sampleBlocks } from './helpers/docs-fixtures.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';
import { startDocsEmulator, type DocsEmulator } from './support/docs-emulator/index.js';

const newKey = () => randomBytes(32);
const base64 = (key: Buffer) => key.toString('base64');
const FORMAT = /^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/u;

describe('token cipher (AES-256-GCM)', () => {
  const key = newKey();
  const cipher = createTokenCipher({ key });
  const secret = '1//0gRefreshToken-with-ünïcode-✓';

  it('round-trips, names its key and never repeats a ciphertext', () => {
    const sealed = cipher.encrypt(secret, 'usr_A');
    expect(sealed).toMatch(FORMAT);
    expect(sealed.split('.')[1]).toBe(keyIdOf(key));
    expect(keyIdOf(key)).toMatch(/^[0-9a-f]{8}$/u);
    expect(sealed).not.toContain(secret);
    expect(cipher.decrypt(sealed, 'usr_A')).toEqual({ plaintext: secret, keyId: keyIdOf(key), stale: false });
    expect(cipher.encrypt(secret, 'usr_A')).not.toBe(sealed);
  });

  it('rotation: an old key still decrypts (stale), and re-encrypting uses the current key', () => {
    const oldKey = newKey();
    const sealedOld = createTokenCipher({ key: oldKey }).encrypt(secret, 'usr_A');
    const rotated = createTokenCipher({ key, oldKeys: [oldKey] });
    expect(rotated.decrypt(sealedOld, 'usr_A')).toEqual({ plaintext: secret, keyId: keyIdOf(oldKey), stale: true });
    const resealed = rotated.encrypt(secret, 'usr_A');
    expect(resealed.split('.')[1]).toBe(keyIdOf(key));
    expect(cipher.decrypt(resealed, 'usr_A').plaintext).toBe(secret);
    // Once the old key is dropped, what it sealed no longer opens.
    expect(() => cipher.decrypt(sealedOld, 'usr_A')).toThrow(TokenDecryptError);
  });

  it('detects tampering with any part, and a ciphertext moved to another owner', () => {
    const sealed = cipher.encrypt(secret, 'usr_A');
    const parts = sealed.split('.');
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const index of [2, 3, 4]) {
      const tampered = parts.map((part, i) => (i === index ? flip(part) : part)).join('.');
      expect(() => cipher.decrypt(tampered, 'usr_A'), `part ${index}`).toThrow(TokenDecryptError);
    }
    expect(() => cipher.decrypt(sealed.slice(0, -2), 'usr_A')).toThrow(TokenDecryptError);
    expect(() => cipher.decrypt(`v2${sealed.slice(2)}`, 'usr_A')).toThrow(TokenDecryptError);
    expect(() => cipher.decrypt(sealed, 'usr_B')).toThrow(TokenDecryptError);
  });

  it('refuses a ciphertext sealed with a key it does not hold', () => {
    const sealed = createTokenCipher({ key: newKey() }).encrypt(secret, 'usr_A');
    expect(() => cipher.decrypt(sealed, 'usr_A')).toThrow(/neither TOKEN_ENCRYPTION_KEY nor in TOKEN_ENCRYPTION_KEYS_OLD/u);
  });
});

describe('configuration', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('lists keys of the wrong length (never echoing them), and old keys without a current one', () => {
    const short = randomBytes(16).toString('base64');
    const problems = problemsOf({ TOKEN_ENCRYPTION_KEY: short, TOKEN_ENCRYPTION_KEYS_OLD: `${base64(newKey())},not-a-key` });
    expect(problems).toEqual([
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: must be 32 bytes of base64/u),
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEYS_OLD: key 2 of 2 must be 32 bytes/u),
    ]);
    expect(problems.join('\n')).not.toContain(short);
    expect(problemsOf({ TOKEN_ENCRYPTION_KEYS_OLD: base64(newKey()) })).toEqual([expect.stringMatching(/^TOKEN_ENCRYPTION_KEYS_OLD: .*set TOKEN_ENCRYPTION_KEY/u)]);
  });

  it('accepts base64 and base64url keys, and reads the OAuth client file', () => {
    const key = newKey();
    const dir = mkdtempSync(path.join(tmpdir(), 'aa-oauth-'));
    try {
      const file = path.join(dir, 'client.json');
      writeFileSync(file, JSON.stringify({ web: { client_id: 'id-1', client_secret: 's', redirect_uris: ['http://localhost:3000'] } }));
      const config = loadConfig({ TOKEN_ENCRYPTION_KEY: key.toString('base64url'), TOKEN_ENCRYPTION_KEYS_OLD: base64(newKey()), GOOGLE_OAUTH_CLIENT_FILE: file });
      expect(config.tokenCipher?.currentKeyId).toBe(keyIdOf(key));
      expect(config.googleOAuthClient).toEqual({ file, clientId: 'id-1', clientSecret: 's', tokenUri: 'https://oauth2.googleapis.com/token' });

      writeFileSync(file, JSON.stringify({ installed: { client_id: 'id', client_secret: 's', token_uri: 'http://tokens.example.com/token' } }));
      expect(problemsOf({ GOOGLE_OAUTH_CLIENT_FILE: file })).toEqual([expect.stringMatching(/^GOOGLE_OAUTH_CLIENT_FILE: .*token_uri must be https/u)]);
      writeFileSync(file, JSON.stringify({ other: {} }));
      expect(problemsOf({ GOOGLE_OAUTH_CLIENT_FILE: file })).toEqual([expect.stringMatching(/not a Google OAuth client file/u)]);
      expect(problemsOf({ GOOGLE_OAUTH_CLIENT_FILE: path.join(dir, 'missing.json') })).toEqual([expect.stringMatching(/no such file/u)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A Google OAuth token endpoint on 127.0.0.1 that speaks the real wire format (form body in, JSON out). `grants` maps
 * refresh tokens to the access token they yield; a `revokeAfterUse` token works once, its access token expiring soon.
 */
async function startTokenEndpoint(grants: Map<string, string>, revokeAfterUse: Set<string>) {
  const requests: Array<Record<string, string>> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      requests.push(form);
      const accessToken = form.grant_type === 'refresh_token' && form.client_id === CLIENT.client_id && form.client_secret === CLIENT.client_secret
        ? grants.get(form.refresh_token ?? '')
        : undefined;
      const expiresIn = revokeAfterUse.delete(form.refresh_token ?? '') ? (grants.delete(form.refresh_token ?? ''), 60) : 3599;
      res.writeHead(accessToken ? 200 : 400, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(accessToken
        ? { access_token: accessToken, expires_in: expiresIn, scope: GOOGLE_DOCS_SCOPE, token_type: 'Bearer' }
        : { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const CLIENT = { client_id: 'test-client.apps.googleusercontent.com', client_secret: 'test-client-secret' };
const REFRESH_TOKEN = `1//refresh-${randomBytes(12).toString('hex')}`;
const ACCESS_TOKEN = 'ya29.from-the-refresh-token';
const HEADER_TOKEN = 'ya29.from-the-extension';

describe('Docs writes with a stored Google sign-in', () => {
  const grants = new Map([[REFRESH_TOKEN, ACCESS_TOKEN]]);
  const revokeAfterUse = new Set<string>();
  const key = newKey();
  let tokenEndpoint: Awaited<ReturnType<typeof startTokenEndpoint>>;
  let emulator: DocsEmulator;
  let dir: string;
  let env: Record<string, string>;
  let t: TestApp;

  const credentials = (app: TestApp) => createGoogleCredentialsService({
    store: app.app.store, cipher: app.config.tokenCipher, oauthClient: app.config.googleOAuthClient, clock: systemClock, log: { warn: () => {} },
  });
  const write = (app: TestApp, token: string, bookId: string, documentId: string, headers: Record<string, string> = {}) =>
    app.as(token, { method: 'POST', url: `/v1/books/${bookId}/doc/write`, payload: { documentId }, headers });
  const oneChapterBook = (app: TestApp, token: string) => bookWithDrafts(app, token, [{ title: 'One', blocks: sampleBlocks('One') }]);

  beforeAll(async () => {
    tokenEndpoint = await startTokenEndpoint(grants, revokeAfterUse);
    emulator = await startDocsEmulator({ tokens: [ACCESS_TOKEN, HEADER_TOKEN] });
    dir = mkdtempSync(path.join(tmpdir(), 'aa-google-credentials-'));
    const clientFile = path.join(dir, 'oauth-client.json');
    writeFileSync(clientFile, JSON.stringify({ installed: { ...CLIENT, token_uri: tokenEndpoint.url, redirect_uris: ['http://localhost'] } }));
    env = { GOOGLE_DOCS_ROOT_URL: emulator.url, GOOGLE_OAUTH_CLIENT_FILE: clientFile, TOKEN_ENCRYPTION_KEY: base64(key) };
    t = await buildTestApp(env, { docsBackoffMs: 5, dataDir: path.join(dir, 'data') });
  });
  afterAll(async () => {
    await t.close();
    await emulator.close();
    await tokenEndpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    emulator.resetCounts();
    tokenEndpoint.requests.length = 0;
  });

  it('writes with the stored refresh token when no header is sent: refreshed at the token endpoint, sent as the bearer', async () => {
    const author = await t.newUser();
    const stored = await credentials(t).storeRefreshToken({ email: author.email, refreshToken: REFRESH_TOKEN, scopes: [GOOGLE_DOCS_SCOPE] });
    expect(stored).toEqual({ userId: author.id, keyId: keyIdOf(key) });
    const documentId = emulator.createDocument({ paragraphs: ['Before.'] });
    const { bookId } = await oneChapterBook(t, author.token);

    const response = await write(t, author.token, bookId, documentId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().chapters).toEqual([expect.objectContaining({ status: 'written' })]);
    expect(emulator.paragraphs(documentId).map((p) => p.text)).toContain('One');
    expect(tokenEndpoint.requests).toEqual([
      { grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN, client_id: CLIENT.client_id, client_secret: CLIENT.client_secret },
    ]);
    expect(emulator.requests.map((r) => [r.method, r.token, r.status])).toEqual([['get', ACCESS_TOKEN, 200], ['batchUpdate', ACCESS_TOKEN, 200]]);

    // Import takes the same path.
    const imported = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/doc/import`, payload: { documentId } });
    expect(imported.statusCode, imported.body).toBe(200);
  });

  it('prefers the request\'s own access token: the stored sign-in is not refreshed', async () => {
    const author = await t.newUser();
    await credentials(t).storeRefreshToken({ email: author.email, refreshToken: REFRESH_TOKEN, scopes: [GOOGLE_DOCS_SCOPE] });
    const documentId = emulator.createDocument({ paragraphs: ['Before.'] });
    const { bookId } = await oneChapterBook(t, author.token);
    const response = await write(t, author.token, bookId, documentId, { 'x-google-access-token': HEADER_TOKEN });
    expect(response.statusCode, response.body).toBe(200);
    expect(tokenEndpoint.requests).toEqual([]);
    expect(emulator.requests.map((r) => r.token)).toEqual([HEADER_TOKEN, HEADER_TOKEN]);
  });

  it('a refresh Google rejects (invalid_grant) is 401 GOOGLE_AUTH_REQUIRED saying how to connect again; the doc is not touched', async () => {
    const author = await t.newUser();
    await credentials(t).storeRefreshToken({ email: author.email, refreshToken: '1//revoked-refresh-token', scopes: [GOOGLE_DOCS_SCOPE] });
    const documentId = emulator.createDocument({ paragraphs: ['Before.'] });
    const { bookId } = await oneChapterBook(t, author.token);
    const response = await write(t, author.token, bookId, documentId);
    expect(response.statusCode).toBe(401);
    const error = errorOf(response);
    expect(error.code).toBe('GOOGLE_AUTH_REQUIRED');
    expect(error.message).toContain('npm run google:login -- --email <you>');
    expect(response.body).not.toContain('revoked-refresh-token');
    expect(response.body).not.toContain(CLIENT.client_secret);
    expect(tokenEndpoint.requests).toHaveLength(1);
    expect(emulator.requests).toEqual([]);
  });

  it('a sign-in revoked between two refreshes of one write (an access token about to expire) is 401, not a conflict or an outage', async () => {
    const author = await t.newUser();
    const refreshToken = '1//revoked-after-one-use';
    grants.set(refreshToken, ACCESS_TOKEN);
    revokeAfterUse.add(refreshToken);
    await credentials(t).storeRefreshToken({ email: author.email, refreshToken, scopes: [GOOGLE_DOCS_SCOPE] });
    const { bookId } = await oneChapterBook(t, author.token);
    const response = await write(t, author.token, bookId, emulator.createDocument({ paragraphs: ['x'] }));
    expect(response.statusCode, response.body).toBe(401);
    expect(errorOf(response)).toMatchObject({ code: 'GOOGLE_AUTH_REQUIRED', message: expect.stringContaining('npm run google:login') });
    // googleapis refreshed the soon-expiring token again before calling Docs, and Google refused.
    expect(tokenEndpoint.requests.map((r) => r.refresh_token)).toEqual([refreshToken, refreshToken]);
    expect(emulator.requests).toEqual([]);
  });

  it('no stored sign-in and no header is 401 GOOGLE_AUTH_REQUIRED, before any call to Google', async () => {
    const author = await t.newUser();
    const documentId = emulator.createDocument({ paragraphs: ['Before.'] });
    const { bookId } = await oneChapterBook(t, author.token);
    const response = await write(t, author.token, bookId, documentId);
    expect(response.statusCode).toBe(401);
    expect(errorOf(response)).toMatchObject({ code: 'GOOGLE_AUTH_REQUIRED', message: expect.stringContaining('npm run google:login') });
    expect(tokenEndpoint.requests).toEqual([]);
    expect(emulator.requests).toEqual([]);
  });

  it('a stored ciphertext that does not open (copied from another user\'s row) is 401 GOOGLE_AUTH_REQUIRED, nothing sent to Google', async () => {
    const author = await t.newUser();
    await credentials(t).storeRefreshToken({ email: author.email, refreshToken: REFRESH_TOKEN, scopes: [GOOGLE_DOCS_SCOPE] });
    const record = (await t.app.store.googleCredentials.get(author.id))!;
    const other = await t.newUser();
    // A valid ciphertext copied onto another user's row does not open: it is bound to its owner.
    await t.app.store.googleCredentials.put({ ...record, userId: other.id });
    const { bookId } = await oneChapterBook(t, other.token);
    const response = await write(t, other.token, bookId, emulator.createDocument({ paragraphs: ['x'] }));
    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('GOOGLE_AUTH_REQUIRED');
    expect(tokenEndpoint.requests).toEqual([]);
  });

  it('google:login\'s storing step refuses an unknown user and a server without TOKEN_ENCRYPTION_KEY', async () => {
    await expect(credentials(t).storeRefreshToken({ email: 'nobody@example.com', refreshToken: REFRESH_TOKEN, scopes: [] }))
      .rejects.toMatchObject({ code: 'NOT_FOUND' });
    const author = await t.newUser();
    const noKey = createGoogleCredentialsService({
      store: t.app.store, cipher: null, oauthClient: t.config.googleOAuthClient, clock: systemClock, log: { warn: () => {} },
    });
    await expect(noKey.storeRefreshToken({ email: author.email, refreshToken: REFRESH_TOKEN, scopes: [] })).rejects.toThrow(/TOKEN_ENCRYPTION_KEY/u);
    expect(await t.app.store.googleCredentials.get(author.id)).toBeNull();
  });

  it('the SQLite files never hold the refresh token in clear', async () => {
    const files = [SQLITE_FILE, `${SQLITE_FILE}-wal`].map((name) => path.join(t.dataDir, name)).filter((file) => existsSync(file));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes(REFRESH_TOKEN), file).toBe(false);
    }
  });

  it('rotation: after a key change the old key still opens the sign-in, which is then re-encrypted with the new key', async () => {
    const dataDir = path.join(dir, 'rotation');
    const before = await buildTestApp(env, { docsBackoffMs: 5, dataDir });
    const author = await before.newUser();
    await credentials(before).storeRefreshToken({ email: author.email, refreshToken: REFRESH_TOKEN, scopes: [GOOGLE_DOCS_SCOPE] });
    await before.close();

    const nextKey = newKey();
    const after = await buildTestApp({ ...env, TOKEN_ENCRYPTION_KEY: base64(nextKey), TOKEN_ENCRYPTION_KEYS_OLD: base64(key) }, { docsBackoffMs: 5, dataDir });
    try {
      expect((await after.app.store.googleCredentials.get(author.id))?.ciphertext.split('.')[1]).toBe(keyIdOf(key));
      const { bookId } = await oneChapterBook(after, author.token);
      const response = await write(after, author.token, bookId, emulator.createDocument({ paragraphs: ['x'] }));
      expect(response.statusCode, response.body).toBe(200);
      const resealed = (await after.app.store.googleCredentials.get(author.id))!;
      expect(resealed.ciphertext.split('.')[1]).toBe(keyIdOf(nextKey));
      expect(createTokenCipher({ key: nextKey }).decrypt(resealed.ciphertext, author.id).plaintext).toBe(REFRESH_TOKEN);
    } finally {
      await after.close();
    }
  });
});

describe('logs', () => {
  it('redact Google tokens: the access-token header and any refreshToken field', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString('utf8')); done(); } });
    const options = serverOptions(loadConfig({ LOG_LEVEL: 'info' }));
    const redact = (options.logger as { redact: { paths: string[] } }).redact;
    expect(redact.paths).toEqual(expect.arrayContaining(['req.headers["x-google-access-token"]', '*.refreshToken']));
    const app = Fastify({ ...options, logger: { ...(options.logger as object), stream } });
    app.log.info({ credentials: { refreshToken: REFRESH_TOKEN }, req: { headers: { 'x-google-access-token': HEADER_TOKEN } } }, 'google');
    await app.close();
    expect(lines.join('')).toContain('[redacted]');
    expect(lines.join('')).not.toContain(REFRESH_TOKEN);
    expect(lines.join('')).not.toContain(HEADER_TOKEN);
  });
});
