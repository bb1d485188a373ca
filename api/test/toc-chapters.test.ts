import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import type { Chapter, Toc } from '../../shared/schemas/chapters.js';
import type { Clock } from '../src/services/clock.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

interface TocItem {
  id?: string;
  title: string;
  description?: string | null;
  children?: TocItem[];
}

const CHAPTER_KEYS = [
  'archived', 'archivedAt', 'bookId', 'createdAt', 'description', 'id', 'parentId', 'position', 'status', 'title', 'updatedAt',
  'version',
];

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

/**
 * Real time, but strictly increasing: two requests in the same millisecond still get distinct timestamps, so
 * "archived together" (same archivedAt) means one operation, as in real use.
 */
function monotonicClock(): Clock {
  let last = 0;
  return {
    now() {
      last = Math.max(Date.now(), last + 1);
      return new Date(last);
    },
  };
}

beforeAll(async () => {
  t = await buildTestApp({}, { clock: monotonicClock() });
  alice = await t.newUser();
  bob = await t.newUser();
});
afterAll(() => t.close());

async function newBook(token = alice.token, title = 'A book') {
  const response = await t.as(token, { method: 'POST', url: '/v1/books', payload: { title } });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

async function addChapter(bookId: string, payload: Record<string, unknown>, token = alice.token): Promise<Chapter> {
  const response = await t.as(token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Chapter>();
}

const getChapter = (bookId: string, chapterId: string, token = alice.token) =>
  t.as(token, { method: 'GET', url: `/v1/books/${bookId}/chapters/${chapterId}` });
const patchChapter = (bookId: string, chapterId: string, payload: Record<string, unknown>, token = alice.token) =>
  t.as(token, { method: 'PATCH', url: `/v1/books/${bookId}/chapters/${chapterId}`, payload });
const archiveChapter = (bookId: string, chapterId: string, token = alice.token) =>
  t.as(token, { method: 'DELETE', url: `/v1/books/${bookId}/chapters/${chapterId}` });
const restoreChapter = (bookId: string, chapterId: string, token = alice.token) =>
  t.as(token, { method: 'POST', url: `/v1/books/${bookId}/chapters/${chapterId}/restore` });
const putToc = (bookId: string, version: number, chapters: TocItem[], token = alice.token) =>
  t.as(token, { method: 'PUT', url: `/v1/books/${bookId}/toc`, payload: { version, chapters } });

async function getToc(bookId: string): Promise<Toc> {
  const response = await t.as(alice.token, { method: 'GET', url: `/v1/books/${bookId}/toc` });
  expect(response.statusCode).toBe(200);
  return response.json<Toc>();
}

/** Every chapter, following cursors (`limit` per page). */
async function listAll(bookId: string, options: { limit?: number; includeArchived?: boolean } = {}): Promise<Chapter[]> {
  const items: Chapter[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query = new URLSearchParams({ limit: String(options.limit ?? 100) });
    if (options.includeArchived) query.set('includeArchived', 'true');
    if (cursor) query.set('cursor', cursor);
    const response = await t.as(alice.token, { method: 'GET', url: `/v1/books/${bookId}/chapters?${query}` });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<{ items: Chapter[]; nextCursor: string | null }>();
    expect(page.items.length).toBeLessThanOrEqual(options.limit ?? 100);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && ++pages < 100);
  return items;
}

const titles = (chapters: Array<{ title: string }>) => chapters.map((chapter) => chapter.title);
const treeTitles = (toc: Toc) => toc.chapters.map((chapter) => [chapter.title, titles(chapter.children)]);
const tocVersion = async (bookId: string) => (await getToc(bookId)).version;

/** Full observable state of a book's chapters, to prove a refused write changed nothing. */
async function snapshot(bookId: string) {
  return { toc: await getToc(bookId), chapters: await listAll(bookId, { includeArchived: true }) };
}

function expectError(response: LightMyRequestResponse, status: number, code: string, label = '') {
  expect(response.statusCode, `${label} ${response.body}`).toBe(status);
  expect(errorOf(response).code, label).toBe(code);
}

describe('chapters: create', () => {
  it('creates chapters (201) at the end of their level, and sections under a top-level chapter', async () => {
    const bookId = await newBook();
    const first = await addChapter(bookId, { title: 'One', description: 'The start' });
    expect(Object.keys(first).sort()).toEqual(CHAPTER_KEYS);
    expect(first).toMatchObject({
      bookId, parentId: null, position: 0, title: 'One', description: 'The start', status: 'planned', archived: false,
      archivedAt: null, version: 1,
    });
    expect(first.id).toMatch(/^ch_[0-9A-Z]{26}$/);
    const second = await addChapter(bookId, { title: 'Two' });
    expect(second).toMatchObject({ position: 1, description: null });
    const section = await addChapter(bookId, { title: 'One.a', parentId: first.id });
    expect(section).toMatchObject({ parentId: first.id, position: 0 });
    const section2 = await addChapter(bookId, { title: 'One.b', parentId: first.id });
    expect(section2).toMatchObject({ parentId: first.id, position: 1 });
    expect(treeTitles(await getToc(bookId))).toEqual([['One', ['One.a', 'One.b']], ['Two', []]]);
  });

  it('inserts at an explicit position, shifting the ones after it; a position past the end appends', async () => {
    const bookId = await newBook();
    await addChapter(bookId, { title: 'B' });
    await addChapter(bookId, { title: 'C' });
    const a = await addChapter(bookId, { title: 'A', position: 0 });
    expect(a.position).toBe(0);
    await addChapter(bookId, { title: 'B2', position: 2 });
    const last = await addChapter(bookId, { title: 'Z', position: 150 });
    expect(last.position).toBe(4);
    const listed = await listAll(bookId);
    expect(titles(listed)).toEqual(['A', 'B', 'B2', 'C', 'Z']);
    expect(listed.map((chapter) => chapter.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses a parentId that is a section, another book\'s chapter, archived or unknown (400)', async () => {
    const bookId = await newBook();
    const otherBookId = await newBook();
    const top = await addChapter(bookId, { title: 'Top' });
    const section = await addChapter(bookId, { title: 'Section', parentId: top.id });
    const foreign = await addChapter(otherBookId, { title: 'Elsewhere' });
    const archived = await addChapter(bookId, { title: 'Gone' });
    expect((await archiveChapter(bookId, archived.id)).statusCode).toBe(204);
    const bobsBook = await newBook(bob.token);
    const bobs = await addChapter(bobsBook, { title: 'Bob' }, bob.token);
    const before = await snapshot(bookId);
    for (const [label, parentId] of [
      ['section', section.id], ['other book', foreign.id], ['archived', archived.id], ['unknown', 'ch_00000000000000000000000000'],
      ['other user', bobs.id], ['malformed', 'nope'],
    ] as const) {
      const response = await t.as(alice.token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: { title: 'Child', parentId } });
      expectError(response, 400, 'VALIDATION', label);
    }
    expect(await snapshot(bookId)).toEqual(before);
  });

  it('validates the title and position', async () => {
    const bookId = await newBook();
    for (const payload of [{}, { title: '' }, { title: '   ' }, { title: 'x'.repeat(LIMITS.chapterTitleMax + 1) }, { title: 'ok', position: -1 },
      { title: 'ok', position: 1.5 }, { title: 'ok', description: 'x'.repeat(LIMITS.chapterDescriptionMax + 1) }]) {
      const response = await t.as(alice.token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload });
      expectError(response, 400, 'VALIDATION', JSON.stringify(payload).slice(0, 60));
    }
    expect(await listAll(bookId)).toEqual([]);
  });

  it('stores unicode and HTML-looking titles verbatim', async () => {
    const bookId = await newBook();
    const title = '<script>alert("x")</script> Ça & "that" 🌍 日本語 e\u0301 \u202E';
    const description = '<b>bold</b> & <i>not</i>\nline two';
    const chapter = await addChapter(bookId, { title, description });
    expect(chapter).toMatchObject({ title, description });
    expect((await getChapter(bookId, chapter.id)).json()).toMatchObject({ title, description });
    expect((await getToc(bookId)).chapters[0]).toMatchObject({ title, description });
    const renamed = `${title} — 第二版 <img src=x onerror=alert(1)>`;
    const toc = await getToc(bookId);
    const put = await putToc(bookId, toc.version, [{ id: chapter.id, title: renamed }]);
    expect(put.statusCode).toBe(200);
    expect(put.json<Toc>().chapters[0]).toMatchObject({ title: renamed, description });
    expect(titles(await listAll(bookId))).toEqual([renamed]);
  });
});

describe('chapters: list and read', () => {
  it('lists in reading order (each chapter followed by its sections) with complete, disjoint pages', async () => {
    const bookId = await newBook();
    const b = await addChapter(bookId, { title: 'B' });
    const a = await addChapter(bookId, { title: 'A', position: 0 });
    await addChapter(bookId, { title: 'B.1', parentId: b.id });
    await addChapter(bookId, { title: 'A.2', parentId: a.id });
    await addChapter(bookId, { title: 'A.1', parentId: a.id, position: 0 });
    await addChapter(bookId, { title: 'C' });
    await addChapter(bookId, { title: 'B.2', parentId: b.id });
    const expected = ['A', 'A.1', 'A.2', 'B', 'B.1', 'B.2', 'C'];
    const whole = await listAll(bookId);
    expect(titles(whole)).toEqual(expected);
    for (const limit of [1, 2, 3, 7]) {
      const paged = await listAll(bookId, { limit });
      expect(paged.map((chapter) => chapter.id), `limit ${limit}`).toEqual(whole.map((chapter) => chapter.id));
      expect(new Set(paged.map((chapter) => chapter.id)).size).toBe(paged.length);
    }
    const first = (await t.as(alice.token, { method: 'GET', url: `/v1/books/${bookId}/chapters?limit=7` })).json();
    expect(first.nextCursor).toBeNull();
    for (const url of [`/v1/books/${bookId}/chapters?cursor=!!`, `/v1/books/${bookId}/chapters?limit=0`, `/v1/books/${bookId}/chapters?limit=101`,
      `/v1/books/${bookId}/chapters?includeArchived=yes`]) {
      expectError(await t.as(alice.token, { method: 'GET', url }), 400, 'VALIDATION', url);
    }
  });

  it('includes archived chapters only with includeArchived=true, after the active ones', async () => {
    const bookId = await newBook();
    const one = await addChapter(bookId, { title: 'One' });
    const two = await addChapter(bookId, { title: 'Two' });
    await addChapter(bookId, { title: 'Three' });
    await addChapter(bookId, { title: 'Two.a', parentId: two.id });
    expect((await archiveChapter(bookId, two.id)).statusCode).toBe(204);
    expect(titles(await listAll(bookId))).toEqual(['One', 'Three']);
    const all = await listAll(bookId, { includeArchived: true, limit: 1 });
    expect(titles(all.slice(0, 2))).toEqual(['One', 'Three']);
    expect(titles(all.slice(2)).sort()).toEqual(['Two', 'Two.a']);
    expect(all.slice(2).every((chapter) => chapter.archived && chapter.archivedAt !== null)).toBe(true);
    const explicitFalse = (await t.as(alice.token, { method: 'GET', url: `/v1/books/${bookId}/chapters?includeArchived=false` })).json();
    expect(titles(explicitFalse.items)).toEqual(['One', 'Three']);
    expect(one.archived).toBe(false);
  });

  it('GET one returns the chapter; an unknown or malformed id is a 404 in the error shape', async () => {
    const bookId = await newBook();
    const chapter = await addChapter(bookId, { title: 'Solo' });
    const response = await getChapter(bookId, chapter.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(chapter);
    for (const id of ['ch_00000000000000000000000000', 'nope', 'bk_!!']) expectError(await getChapter(bookId, id), 404, 'NOT_FOUND', id);
    const otherBookId = await newBook();
    expectError(await getChapter(otherBookId, chapter.id), 404, 'NOT_FOUND', 'wrong book');
  });
});

describe('chapters: PATCH', () => {
  it('updates with the version (200, version+1); a stale version is a 409 CONFLICT with details.current', async () => {
    const bookId = await newBook();
    const chapter = await addChapter(bookId, { title: 'Draft title', description: 'first' });
    const updated = await patchChapter(bookId, chapter.id, { version: 1, title: 'Final title', description: null, status: 'writing' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ id: chapter.id, title: 'Final title', description: null, status: 'writing', version: 2 });
    expect(Date.parse(updated.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(chapter.updatedAt));

    const stale = await patchChapter(bookId, chapter.id, { version: 1, title: 'Lost update' });
    expectError(stale, 409, 'CONFLICT');
    expect(errorOf(stale).details).toMatchObject({ current: { id: chapter.id, title: 'Final title', status: 'writing', version: 2 } });
    expect((await getChapter(bookId, chapter.id)).json()).toMatchObject({ title: 'Final title', version: 2 });

    const untouched = await patchChapter(bookId, chapter.id, { version: 2, status: 'drafted' });
    expect(untouched.json()).toMatchObject({ title: 'Final title', description: null, status: 'drafted', version: 3 });

    for (const payload of [{ title: 'no version' }, { version: 0, title: 'x' }, { version: 3, status: 'published' }, { version: 3, title: '' }]) {
      expectError(await patchChapter(bookId, chapter.id, payload), 400, 'VALIDATION', JSON.stringify(payload));
    }
    expectError(await patchChapter(bookId, 'ch_00000000000000000000000000', { version: 1, title: 'x' }), 404, 'NOT_FOUND');
  });

  it("a title change bumps the book's TOC version; a status or description change does not", async () => {
    const bookId = await newBook();
    const chapter = await addChapter(bookId, { title: 'Before' });
    const v0 = await tocVersion(bookId);
    await patchChapter(bookId, chapter.id, { version: 1, status: 'done' });
    expect(await tocVersion(bookId)).toBe(v0);
    await patchChapter(bookId, chapter.id, { version: 2, description: 'words' });
    expect(await tocVersion(bookId)).toBe(v0);
    const renamed = await patchChapter(bookId, chapter.id, { version: 3, title: 'After' });
    expect(renamed.statusCode).toBe(200);
    expect(await tocVersion(bookId)).toBe(v0 + 1);
    const book = (await t.as(alice.token, { method: 'GET', url: `/v1/books/${bookId}` })).json();
    expect(book.tocVersion).toBe(v0 + 1);
    // A stale rename changes nothing, not even the TOC version.
    expectError(await patchChapter(bookId, chapter.id, { version: 1, title: 'Stale' }), 409, 'CONFLICT');
    expect(await tocVersion(bookId)).toBe(v0 + 1);
  });
});

describe('chapters: archive and restore', () => {
  it('DELETE archives the chapter with its sections (204); GET still returns it; the TOC lists them as archived', async () => {
    const bookId = await newBook();
    const keep = await addChapter(bookId, { title: 'Keep' });
    const gone = await addChapter(bookId, { title: 'Gone', description: 'kept data' });
    const s1 = await addChapter(bookId, { title: 'Gone.1', parentId: gone.id });
    const s2 = await addChapter(bookId, { title: 'Gone.2', parentId: gone.id });
    await patchChapter(bookId, s1.id, { version: 1, status: 'drafted' });
    const v0 = await tocVersion(bookId);

    const response = await archiveChapter(bookId, gone.id);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const toc = await getToc(bookId);
    expect(toc.version).toBeGreaterThan(v0);
    expect(treeTitles(toc)).toEqual([['Keep', []]]);
    expect(toc.archived.map((chapter) => chapter.id).sort()).toEqual([gone.id, s1.id, s2.id].sort());
    expect(toc.archived.every((chapter) => chapter.archived && chapter.archivedAt)).toBe(true);

    const read = await getChapter(bookId, gone.id);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: gone.id, archived: true, description: 'kept data' });
    expect((await getChapter(bookId, s1.id)).json()).toMatchObject({ archived: true, status: 'drafted', parentId: gone.id });
    expect(titles(await listAll(bookId))).toEqual(['Keep']);
    expect(keep.archived).toBe(false);
  });

  it('POST restore brings a chapter back at the end of its level, with its sections', async () => {
    const bookId = await newBook();
    const a = await addChapter(bookId, { title: 'A' });
    await addChapter(bookId, { title: 'B' });
    await addChapter(bookId, { title: 'C' });
    await addChapter(bookId, { title: 'A.1', parentId: a.id });
    const a2 = await addChapter(bookId, { title: 'A.2', parentId: a.id });
    await patchChapter(bookId, a2.id, { version: 1, status: 'writing', description: 'notes' });
    expect((await archiveChapter(bookId, a.id)).statusCode).toBe(204);
    expect(titles(await listAll(bookId))).toEqual(['B', 'C']);
    const v0 = await tocVersion(bookId);

    const restored = await restoreChapter(bookId, a.id);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ id: a.id, archived: false, archivedAt: null, parentId: null, title: 'A' });
    expect(await tocVersion(bookId)).toBeGreaterThan(v0);
    const toc = await getToc(bookId);
    expect(treeTitles(toc)).toEqual([['B', []], ['C', []], ['A', ['A.1', 'A.2']]]);
    expect(toc.archived).toEqual([]);
    expect(toc.chapters[2]!.children[1]).toMatchObject({ id: a2.id, status: 'writing', description: 'notes' });
    expect(titles(await listAll(bookId))).toEqual(['B', 'C', 'A', 'A.1', 'A.2']);

    // Restoring an active chapter is harmless.
    const again = await restoreChapter(bookId, a.id);
    expect(again.statusCode).toBe(200);
    expect(titles(await listAll(bookId))).toEqual(['B', 'C', 'A', 'A.1', 'A.2']);
  });

  it('a section archived on its own stays archived when its chapter is restored; restored alone it returns under it', async () => {
    const bookId = await newBook();
    const a = await addChapter(bookId, { title: 'A' });
    const early = await addChapter(bookId, { title: 'A.early', parentId: a.id });
    await addChapter(bookId, { title: 'A.late', parentId: a.id });
    await archiveChapter(bookId, early.id);
    await archiveChapter(bookId, a.id);
    await restoreChapter(bookId, a.id);
    expect(treeTitles(await getToc(bookId))).toEqual([['A', ['A.late']]]);
    const back = await restoreChapter(bookId, early.id);
    expect(back.json()).toMatchObject({ parentId: a.id, archived: false });
    expect(treeTitles(await getToc(bookId))).toEqual([['A', ['A.late', 'A.early']]]);
  });

  it('a chapter created without a position goes to the end even after an earlier one was archived', async () => {
    const bookId = await newBook();
    await addChapter(bookId, { title: 'A' });
    const b = await addChapter(bookId, { title: 'B' });
    await addChapter(bookId, { title: 'C' });
    expect((await archiveChapter(bookId, b.id)).statusCode).toBe(204);
    await addChapter(bookId, { title: 'D' });
    expect(titles(await listAll(bookId))).toEqual(['A', 'C', 'D']);
    expect(treeTitles(await getToc(bookId))).toEqual([['A', []], ['C', []], ['D', []]]);
  });

  it('an explicit position counts active siblings only, even after an earlier one was archived', async () => {
    const bookId = await newBook();
    await addChapter(bookId, { title: 'A' });
    const b = await addChapter(bookId, { title: 'B' });
    await addChapter(bookId, { title: 'C' });
    await addChapter(bookId, { title: 'E' });
    expect((await archiveChapter(bookId, b.id)).statusCode).toBe(204);
    // Active: A, C, E — position 2 is between C and E.
    await addChapter(bookId, { title: 'D', position: 2 });
    expect(titles(await listAll(bookId))).toEqual(['A', 'C', 'D', 'E']);
  });
});

describe('TOC', () => {
  it('GET /toc returns the tree of active chapters and the archived ones beside it', async () => {
    const bookId = await newBook();
    const empty = await getToc(bookId);
    expect(empty).toEqual({ bookId, version: 1, chapters: [], archived: [] });
    const one = await addChapter(bookId, { title: 'One', description: 'd1' });
    await addChapter(bookId, { title: 'One.a', parentId: one.id });
    const toc = await getToc(bookId);
    expect(toc.version).toBe(3);
    expect(toc.chapters).toHaveLength(1);
    expect(Object.keys(toc.chapters[0]!).sort()).toEqual(['children', 'description', 'id', 'status', 'title', 'version']);
    expect(toc.chapters[0]).toMatchObject({ id: one.id, title: 'One', description: 'd1', status: 'planned', version: 1 });
    expect(toc.chapters[0]!.children[0]).toMatchObject({ title: 'One.a' });
    expect(Object.keys(toc.chapters[0]!.children[0]!).sort()).toEqual(['description', 'id', 'status', 'title', 'version']);
  });

  it('PUT merges by id: renames, reorders, re-parents sections and creates items without an id', async () => {
    const bookId = await newBook();
    const a = await addChapter(bookId, { title: 'A', description: 'about A' });
    const b = await addChapter(bookId, { title: 'B' });
    const c = await addChapter(bookId, { title: 'C' });
    const a1 = await addChapter(bookId, { title: 'A.1', parentId: a.id });
    const a2 = await addChapter(bookId, { title: 'A.2', parentId: a.id });
    await patchChapter(bookId, a.id, { version: 1, status: 'drafted' });
    const before = await getToc(bookId);

    const response = await putToc(bookId, before.version, [
      { id: c.id, title: 'C renamed', children: [{ id: a2.id, title: 'A.2 moved to C' }] },
      { title: 'New chapter', description: 'fresh', children: [{ title: 'New section' }] },
      { id: a1.id, title: 'A.1 promoted' },
      { id: a.id, title: 'A', children: [{ id: b.id, title: 'B demoted' }] },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    const toc = response.json<Toc>();
    expect(toc.version).toBe(before.version + 1);
    expect(treeTitles(toc)).toEqual([
      ['C renamed', ['A.2 moved to C']],
      ['New chapter', ['New section']],
      ['A.1 promoted', []],
      ['A', ['B demoted']],
    ]);
    expect(toc.archived).toEqual([]);
    expect(toc).toEqual(await getToc(bookId));
    // Ids are kept; data not named in the PUT is kept.
    expect(toc.chapters.map((chapter) => chapter.id)).toEqual([c.id, expect.stringMatching(/^ch_/), a1.id, a.id]);
    expect(toc.chapters[3]).toMatchObject({ id: a.id, status: 'drafted', description: 'about A' });
    expect(toc.chapters[1]).toMatchObject({ description: 'fresh', status: 'planned', version: 1 });

    const listed = await listAll(bookId);
    expect(titles(listed)).toEqual(['C renamed', 'A.2 moved to C', 'New chapter', 'New section', 'A.1 promoted', 'A', 'B demoted']);
    const byId = new Map(listed.map((chapter) => [chapter.id, chapter]));
    expect(byId.get(a2.id)).toMatchObject({ parentId: c.id, position: 0 });
    expect(byId.get(a1.id)).toMatchObject({ parentId: null, position: 2 });
    expect(byId.get(b.id)).toMatchObject({ parentId: a.id, position: 0 });
    const newSection = listed.find((chapter) => chapter.title === 'New section')!;
    expect(newSection.parentId).toBe(toc.chapters[1]!.id);
  });

  it('PUT archives chapters left out (with their sections); they are restorable with their data', async () => {
    const bookId = await newBook();
    const keep = await addChapter(bookId, { title: 'Keep' });
    const drop = await addChapter(bookId, { title: 'Drop', description: 'my notes' });
    const dropSection = await addChapter(bookId, { title: 'Drop.1', parentId: drop.id, description: 'section notes' });
    await patchChapter(bookId, drop.id, { version: 1, status: 'writing' });
    const other = await addChapter(bookId, { title: 'Other' });

    const put = await putToc(bookId, await tocVersion(bookId), [{ id: keep.id, title: 'Keep' }]);
    expect(put.statusCode).toBe(200);
    const toc = put.json<Toc>();
    expect(treeTitles(toc)).toEqual([['Keep', []]]);
    expect(toc.archived.map((chapter) => chapter.id).sort()).toEqual([drop.id, dropSection.id, other.id].sort());

    // Restore through the chapter route: comes back with its section and data.
    const restored = await restoreChapter(bookId, drop.id);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ title: 'Drop', description: 'my notes', status: 'writing', archived: false });
    expect(treeTitles(await getToc(bookId))).toEqual([['Keep', []], ['Drop', ['Drop.1']]]);
    expect((await getChapter(bookId, dropSection.id)).json()).toMatchObject({ description: 'section notes', archived: false });

    // Restore through the TOC: naming an archived id brings it back where it is placed.
    const again = await putToc(bookId, await tocVersion(bookId), [
      { id: other.id, title: 'Other' }, { id: keep.id, title: 'Keep' }, { id: drop.id, title: 'Drop', children: [{ id: dropSection.id, title: 'Drop.1' }] },
    ]);
    expect(again.statusCode).toBe(200);
    expect(treeTitles(again.json<Toc>())).toEqual([['Other', []], ['Keep', []], ['Drop', ['Drop.1']]]);
    expect(again.json<Toc>().archived).toEqual([]);
  });

  it('PUT with a stale version is a 409 CONFLICT with the current TOC, and nothing changes', async () => {
    const bookId = await newBook();
    const a = await addChapter(bookId, { title: 'A' });
    await addChapter(bookId, { title: 'A.1', parentId: a.id });
    const b = await addChapter(bookId, { title: 'B' });
    const staleVersion = await tocVersion(bookId);
    await patchChapter(bookId, b.id, { version: 1, title: 'B renamed' });
    const before = await snapshot(bookId);

    const response = await putToc(bookId, staleVersion, [{ title: 'Brand new' }, { id: b.id, title: 'B again' }]);
    expectError(response, 409, 'CONFLICT');
    expect(errorOf(response).details).toMatchObject({ current: { bookId, version: before.toc.version } });
    expect((errorOf(response).details as { current: Toc }).current.chapters.map((chapter) => chapter.title)).toEqual(['A', 'B renamed']);
    expect(await snapshot(bookId)).toEqual(before);

    const future = await putToc(bookId, before.toc.version + 5, []);
    expectError(future, 409, 'CONFLICT');
    expect(await snapshot(bookId)).toEqual(before);
  });

  it('PUT refuses unknown, duplicate and foreign ids with 400, and nothing changes', async () => {
    const bookId = await newBook();
    const a = await addChapter(bookId, { title: 'A' });
    const s = await addChapter(bookId, { title: 'A.1', parentId: a.id });
    const otherBook = await newBook();
    const foreign = await addChapter(otherBook, { title: 'Foreign' });
    const before = await snapshot(bookId);
    const version = before.toc.version;
    const cases: Array<[string, TocItem[]]> = [
      ['unknown id', [{ id: a.id, title: 'A' }, { id: 'ch_00000000000000000000000000', title: 'Ghost' }]],
      ['another book', [{ id: a.id, title: 'A' }, { id: foreign.id, title: 'Stolen' }]],
      ['duplicate top-level', [{ id: a.id, title: 'A' }, { id: a.id, title: 'A twice' }]],
      ['duplicate across levels', [{ id: a.id, title: 'A', children: [{ id: s.id, title: 'A.1' }] }, { id: s.id, title: 'A.1 again' }]],
      ['parent as its own child', [{ id: a.id, title: 'A', children: [{ id: a.id, title: 'A inside A' }] }]],
    ];
    for (const [label, chapters] of cases) {
      expectError(await putToc(bookId, version, chapters), 400, 'VALIDATION', label);
    }
    for (const body of [{ chapters: [] }, { version, chapters: [{ title: '' }] }, { version: 0, chapters: [] }, { version, chapters: {} }]) {
      const response = await t.as(alice.token, { method: 'PUT', url: `/v1/books/${bookId}/toc`, payload: body });
      if (response.statusCode === 200) throw new Error(`accepted a bad TOC: ${JSON.stringify(body)}`);
      expectError(response, 400, 'VALIDATION', JSON.stringify(body));
    }
    expect(await snapshot(bookId)).toEqual(before);
    expect((await getChapter(otherBook, foreign.id)).json()).toMatchObject({ title: 'Foreign', bookId: otherBook });
  });

  it(`PUT refuses a third level (the TOC is ${LIMITS.tocDepth} levels deep) instead of dropping it`, async () => {
    const bookId = await newBook();
    await addChapter(bookId, { title: 'Existing' });
    const before = await snapshot(bookId);
    const body = { version: before.toc.version, chapters: [{ title: 'x', children: [{ title: 'y', children: [{ title: 'z' }] }] }] };
    const response = await t.as(alice.token, { method: 'PUT', url: `/v1/books/${bookId}/toc`, payload: body });
    expectError(response, 400, 'VALIDATION', 'three levels');
    expect(await snapshot(bookId)).toEqual(before);
  });

  it(`refuses more than ${LIMITS.chaptersPerBook} chapters and sections with 409 LIMIT_REACHED`, async () => {
    const bookId = await newBook();
    // 201 items in one PUT (20 chapters × 9 sections + 21 chapters) stays under the per-array cap.
    const tooMany: TocItem[] = Array.from({ length: 21 }, (_, i) => ({
      title: `Chapter ${i + 1}`,
      children: i < 20 ? Array.from({ length: 9 }, (_, j) => ({ title: `Section ${i + 1}.${j + 1}` })) : [],
    }));
    expect(tooMany.reduce((n, item) => n + 1 + (item.children?.length ?? 0), 0)).toBe(LIMITS.chaptersPerBook + 1);
    const before = await snapshot(bookId);
    expectError(await putToc(bookId, before.toc.version, tooMany), 409, 'LIMIT_REACHED', 'PUT 201');
    expect(await snapshot(bookId)).toEqual(before);

    const exactly = tooMany.slice(0, 20);
    const full = await putToc(bookId, before.toc.version, exactly);
    expect(full.statusCode, full.body).toBe(200);
    expect(await listAll(bookId, { limit: 100 })).toHaveLength(LIMITS.chaptersPerBook);

    expectError(await t.as(alice.token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: { title: 'One more' } }), 409, 'LIMIT_REACHED', 'POST 201st');
    const toc = await getToc(bookId);
    const sameAndOneMore: TocItem[] = [
      ...toc.chapters.map((item) => ({ id: item.id, title: item.title, children: item.children.map((s) => ({ id: s.id, title: s.title })) })),
      { title: 'Extra' },
    ];
    expectError(await putToc(bookId, toc.version, sameAndOneMore), 409, 'LIMIT_REACHED', 'PUT adds one');
    expect(await tocVersion(bookId)).toBe(toc.version);
  });
});

describe("another user's chapters", () => {
  it('answers 404 in the error shape on every chapter route and changes nothing', async () => {
    const bookId = await newBook();
    const chapter = await addChapter(bookId, { title: 'Private', description: 'secret' });
    const archived = await addChapter(bookId, { title: 'Archived' });
    await archiveChapter(bookId, archived.id);
    const bobsBook = await newBook(bob.token);
    const before = await snapshot(bookId);
    for (const viaBook of [bookId, bobsBook]) {
      const routes: Array<[string, string, unknown?]> = [
        ['GET', `/v1/books/${viaBook}/chapters/${chapter.id}`],
        ['PATCH', `/v1/books/${viaBook}/chapters/${chapter.id}`, { version: 1, title: 'Hijacked' }],
        ['DELETE', `/v1/books/${viaBook}/chapters/${chapter.id}`],
        ['POST', `/v1/books/${viaBook}/chapters/${archived.id}/restore`],
        ['POST', `/v1/books/${viaBook}/chapters/${chapter.id}/restore`],
        ['GET', `/v1/books/${viaBook}/chapters/${archived.id}`],
      ];
      if (viaBook === bookId) {
        routes.push(
          ['GET', `/v1/books/${viaBook}/chapters`],
          ['POST', `/v1/books/${viaBook}/chapters`, { title: 'Injected' }],
          ['GET', `/v1/books/${viaBook}/toc`],
          ['PUT', `/v1/books/${viaBook}/toc`, { version: before.toc.version, chapters: [] }],
        );
      }
      for (const [method, url, payload] of routes) {
        const response = await t.as(bob.token, { method: method as 'GET', url, ...(payload ? { payload } : {}) });
        expectError(response, 404, 'NOT_FOUND', `${method} ${url}`);
        expect(response.body).not.toContain('Private');
        expect(response.body).not.toContain('secret');
      }
    }
    expect(await snapshot(bookId)).toEqual(before);
    // And Bob's own book did not gain anything either.
    expect((await t.as(bob.token, { method: 'GET', url: `/v1/books/${bobsBook}/toc` })).json()).toMatchObject({ version: 1, chapters: [], archived: [] });
  });
});
