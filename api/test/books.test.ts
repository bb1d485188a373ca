import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

beforeAll(async () => {
  t = await buildTestApp();
  alice = await t.newUser();
  bob = await t.newUser();
});
afterAll(() => t.close());

const createBook = async (token: string, payload: Record<string, unknown>) =>
  t.as(token, { method: 'POST', url: '/v1/books', payload });

describe('books', () => {
  it('answers 401 in the error shape without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/books' });
    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('UNAUTHORIZED');
    expect(response.headers['x-request-id']).toBe(errorOf(response).requestId);
  });

  it('stores unicode and HTML-looking titles verbatim', async () => {
    const title = '<img src=x onerror=alert(1)> Été 🌍 日本語 e\u0301 a\u202Fb';
    const created = await createBook(alice.token, { title, subtitle: '"quotes" & <b>', language: 'fr' });
    expect(created.statusCode).toBe(201);
    const book = created.json();
    expect(book.id).toMatch(/^bk_[0-9A-Z]{26}$/);
    expect(book).toMatchObject({ title, subtitle: '"quotes" & <b>', version: 1, tocVersion: 1, deletedAt: null, genre: null });
    const read = await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}` });
    expect(read.json().title).toBe(title);
  });

  it('rejects an empty or over-long title with VALIDATION', async () => {
    for (const title of ['', '   ', 'x'.repeat(301)]) {
      const response = await createBook(alice.token, { title });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
  });

  it('lists newest first with complete, disjoint cursor pages', async () => {
    const user = await t.newUser();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createBook(user.token, { title: `Book ${i}` })).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/books?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.as(user.token, { method: 'GET', url })).json();
      seen.push(...page.items.map((b: { id: string }) => b.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('finds the book linked to a document', async () => {
    const created = (await createBook(alice.token, { title: 'Linked', documentId: 'doc_ABC-123' })).json();
    const page = (await t.as(alice.token, { method: 'GET', url: '/v1/books?documentId=doc_ABC-123' })).json();
    expect(page.items.map((b: { id: string }) => b.id)).toEqual([created.id]);
    const relinked = await t.as(alice.token, { method: 'PUT', url: `/v1/books/${created.id}/doc`, payload: { documentId: 'other-doc' } });
    expect(relinked.json()).toMatchObject({ documentId: 'other-doc', tabId: null });
  });

  it('linking a document with the version read is a compare-and-swap: a link made meanwhile is never replaced', async () => {
    const book = (await createBook(alice.token, { title: 'Two windows' })).json();
    const link = (documentId: string, version: number) =>
      t.as(alice.token, { method: 'PUT', url: `/v1/books/${book.id}/doc`, payload: { documentId, version } });
    const first = await link('doc-in-window-one', book.version);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ documentId: 'doc-in-window-one', version: book.version + 1 });
    const stale = await link('doc-in-window-two', book.version);
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', details: { current: { documentId: 'doc-in-window-one' } } });
    const read = (await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}` })).json();
    expect(read).toMatchObject({ documentId: 'doc-in-window-one', version: book.version + 1 });
  });

  it('PATCH is a compare-and-swap when version is sent; null clears a field', async () => {
    const book = (await createBook(alice.token, { title: 'CAS', genre: 'memoir' })).json();
    const first = await t.as(alice.token, { method: 'PATCH', url: `/v1/books/${book.id}`, payload: { version: 1, genre: null } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 2, genre: null, title: 'CAS' });
    const stale = await t.as(alice.token, { method: 'PATCH', url: `/v1/books/${book.id}`, payload: { version: 1, title: 'Lost' } });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', details: { current: { version: 2, title: 'CAS' } } });
  });

  it("answers 404 for another user's book on every book route", async () => {
    const book = (await createBook(alice.token, { title: 'Private' })).json();
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/v1/books/${book.id}`],
      ['PATCH', `/v1/books/${book.id}`, { title: 'x' }],
      ['DELETE', `/v1/books/${book.id}`],
      ['POST', `/v1/books/${book.id}/restore`],
      ['PUT', `/v1/books/${book.id}/doc`, { documentId: 'abc' }],
      ['GET', `/v1/books/${book.id}/summary`],
      ['PUT', `/v1/books/${book.id}/summary`, { summary: 'x' }],
      ['GET', `/v1/books/${book.id}/readiness`],
      ['GET', `/v1/books/${book.id}/toc`],
      ['PUT', `/v1/books/${book.id}/toc`, { version: 1, chapters: [] }],
      ['GET', `/v1/books/${book.id}/chapters`],
      ['POST', `/v1/books/${book.id}/chapters`, { title: 'x' }],
    ];
    for (const [method, url, payload] of routes) {
      const response = await t.as(bob.token, { method: method as 'GET', url, ...(payload ? { payload } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }
    expect((await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}` })).json().title).toBe('Private');
  });

  it('treats a malformed id as not found', async () => {
    for (const id of ['nope', 'bk_', 'bk_!!!', '%F0%9F%98%80', 'x'.repeat(150)]) {
      const response = await t.as(alice.token, { method: 'GET', url: `/v1/books/${id}` });
      expect(response.statusCode, id).toBe(404);
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }
  });

  it('moves a deleted book to the trash, restorable, and hides everything under it', async () => {
    const book = (await createBook(alice.token, { title: 'Trash me' })).json();
    const chapter = (await t.as(alice.token, { method: 'POST', url: `/v1/books/${book.id}/chapters`, payload: { title: 'One' } })).json();
    expect((await t.as(alice.token, { method: 'DELETE', url: `/v1/books/${book.id}` })).statusCode).toBe(204);
    expect((await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}` })).statusCode).toBe(404);
    expect((await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}/chapters/${chapter.id}` })).statusCode).toBe(404);
    const trash = (await t.as(alice.token, { method: 'GET', url: '/v1/books?trash=true' })).json();
    expect(trash.items.map((b: { id: string }) => b.id)).toContain(book.id);
    const restored = await t.as(alice.token, { method: 'POST', url: `/v1/books/${book.id}/restore` });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().deletedAt).toBeNull();
    expect((await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}/chapters/${chapter.id}` })).json().title).toBe('One');
  });
});

describe('summary and readiness', () => {
  it('keeps the last 20 distinct versions, newest first', async () => {
    const book = (await createBook(alice.token, { title: 'History' })).json();
    let version = 1;
    for (let i = 1; i <= 25; i++) {
      const saved = await t.as(alice.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: `Text ${i}`, version } });
      expect(saved.statusCode).toBe(200);
      version = saved.json().version;
    }
    const same = await t.as(alice.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: 'Text 25', version } });
    expect(same.json().version).toBe(version);
    const summary = (await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}/summary` })).json();
    expect(summary.summary).toBe('Text 25');
    expect(summary.history).toHaveLength(20);
    expect(summary.history[0]).toMatchObject({ summary: 'Text 25', version: 26, words: 2 });
    expect(summary.history[19].summary).toBe('Text 6');
  });

  it('answers 409 with the current summary on a stale version', async () => {
    const book = (await createBook(alice.token, { title: 'Stale' })).json();
    await t.as(alice.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: 'first', version: 1 } });
    const stale = await t.as(alice.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: 'second', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).details).toMatchObject({ current: { summary: 'first', version: 2 } });
  });

  it('reports readiness with the shared counting rule', async () => {
    const book = (await createBook(alice.token, { title: 'Ready?' })).json();
    const empty = (await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}/readiness` })).json();
    expect(empty).toMatchObject({ ready: false, level: 'missing', words: 0 });
    const summary = `${'word '.repeat(45)}日本語です`;
    await t.as(alice.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary } });
    const ready = (await t.as(alice.token, { method: 'GET', url: `/v1/books/${book.id}/readiness` })).json();
    expect(ready).toMatchObject({ ready: true, level: 'ready', words: 50 });
  });
});
