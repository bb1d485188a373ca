import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import type { Chapter, Toc } from '../../shared/schemas/chapters.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

/**
 * Concurrent writes through app.inject (the real app on SQLite): requests interleave at every await, so a
 * read-then-write without compare-and-swap, or a lost version bump, shows up as a wrong count or a lost write.
 */

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  token = (await t.newUser()).token;
});
afterAll(() => t?.close());

const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
  t.as(token, { method, url, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) });

async function createBook(title: string): Promise<string> {
  const response = await api('POST', '/v1/books', { title });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

async function getToc(bookId: string): Promise<Toc> {
  const response = await api('GET', `/v1/books/${bookId}/toc`);
  expect(response.statusCode).toBe(200);
  return response.json<Toc>();
}

/** Every chapter of the book in reading order, following the cursor to the end. */
async function listAll(bookId: string): Promise<Chapter[]> {
  const all: Chapter[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/books/${bookId}/chapters?limit=${LIMITS.pageLimitMax}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await api('GET', url);
    expect(response.statusCode).toBe(200);
    const page = response.json<{ items: Chapter[]; nextCursor: string | null }>();
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** A book whose TOC holds `count` top-level chapters (one TOC PUT). */
async function bookWithChapters(count: number): Promise<{ bookId: string; chapters: Chapter[] }> {
  const bookId = await createBook(`Book with ${count} chapters`);
  const toc = await getToc(bookId);
  const chapters = Array.from({ length: count }, (_, i) => ({ title: `Chapter ${i + 1}` }));
  const put = await api('PUT', `/v1/books/${bookId}/toc`, { version: toc.version, chapters });
  expect(put.statusCode).toBe(200);
  const listed = await listAll(bookId);
  expect(listed.map((c) => c.title)).toEqual(chapters.map((c) => c.title));
  return { bookId, chapters: listed };
}

describe('concurrent chapter PATCHes', () => {
  it(`${LIMITS.chaptersPerBook} concurrent PATCHes of different chapters all succeed and all persist`, async () => {
    const { bookId, chapters } = await bookWithChapters(LIMITS.chaptersPerBook);
    expect(chapters).toHaveLength(200);
    const tocBefore = (await getToc(bookId)).version;

    const responses = await Promise.all(
      chapters.map((chapter, i) =>
        api('PATCH', `/v1/books/${bookId}/chapters/${chapter.id}`, { version: chapter.version, title: `Renamed ${i} — ${chapter.id}` }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s !== 200), `non-200 answers: ${responses.filter((r) => r.statusCode !== 200).map((r) => r.body).slice(0, 3).join('\n')}`).toEqual([]);
    responses.forEach((response, i) => {
      expect(response.json<Chapter>()).toMatchObject({ id: chapters[i]!.id, title: `Renamed ${i} — ${chapters[i]!.id}`, version: chapters[i]!.version + 1 });
    });

    // Read back one by one and as a list: every write is there, nothing else moved.
    const reads = await Promise.all(chapters.map((chapter) => api('GET', `/v1/books/${bookId}/chapters/${chapter.id}`)));
    reads.forEach((read, i) => {
      expect(read.statusCode).toBe(200);
      expect(read.json<Chapter>()).toMatchObject({ title: `Renamed ${i} — ${chapters[i]!.id}`, version: chapters[i]!.version + 1, position: chapters[i]!.position });
    });
    const listed = await listAll(bookId);
    expect(listed.map((c) => [c.id, c.title, c.version])).toEqual(chapters.map((c, i) => [c.id, `Renamed ${i} — ${c.id}`, c.version + 1]));

    // A rename is a structural change: each of the 200 bumped the TOC version exactly once (no lost increment).
    expect((await getToc(bookId)).version).toBe(tocBefore + chapters.length);
  });

  it('two concurrent PATCHes with the same version: exactly one 200 and one 409 CONFLICT with details.current, 20 times', async () => {
    const { bookId, chapters } = await bookWithChapters(3);
    const chapter = chapters[1]!;
    const url = `/v1/books/${bookId}/chapters/${chapter.id}`;
    for (let round = 0; round < 20; round++) {
      const before = (await api('GET', url)).json<Chapter>();
      const titles = [`Left ${round}`, `Right ${round}`];
      const [a, b] = await Promise.all(titles.map((title) => api('PATCH', url, { version: before.version, title, status: 'writing' })));
      const pair = [a!, b!];
      expect(pair.map((r) => r.statusCode).sort(), `round ${round}: ${a!.body} / ${b!.body}`).toEqual([200, 409]);

      const winnerIndex = pair.findIndex((r) => r.statusCode === 200);
      const winner = pair[winnerIndex]!.json<Chapter>();
      const loser = pair[1 - winnerIndex]!;
      expect(winner).toMatchObject({ id: chapter.id, title: titles[winnerIndex], version: before.version + 1, status: 'writing' });

      const error = errorOf(loser);
      expect(error.code).toBe('CONFLICT');
      expect(loser.headers['x-request-id']).toBe(error.requestId);
      // details.current is the record as the winner left it, so the client can show both versions.
      expect((error.details as { current: Chapter }).current).toEqual(winner);

      const after = (await api('GET', url)).json<Chapter>();
      expect(after).toEqual(winner);
    }
  });

  it('ten concurrent PATCHes with the same version: exactly one wins, the others see its write', async () => {
    const { bookId, chapters } = await bookWithChapters(2);
    const url = `/v1/books/${bookId}/chapters/${chapters[0]!.id}`;
    for (let round = 0; round < 5; round++) {
      const before = (await api('GET', url)).json<Chapter>();
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => api('PATCH', url, { version: before.version, description: `Writer ${i} of round ${round}` })),
      );
      const won = responses.filter((r) => r.statusCode === 200);
      expect(won, `round ${round}`).toHaveLength(1);
      expect(responses.filter((r) => r.statusCode === 409)).toHaveLength(9);
      const winner = won[0]!.json<Chapter>();
      expect(winner.version).toBe(before.version + 1);
      for (const lost of responses.filter((r) => r.statusCode === 409)) {
        expect((errorOf(lost).details as { current: Chapter }).current).toEqual(winner);
      }
      expect((await api('GET', url)).json<Chapter>()).toEqual(winner);
    }
  });
});

describe('concurrent TOC PUTs', () => {
  it('concurrent TOC PUTs with the same version: exactly one succeeds, the rest 409 CONFLICT with the current TOC, 10 times', async () => {
    const { bookId } = await bookWithChapters(5);
    for (let round = 0; round < 10; round++) {
      const before = await getToc(bookId);
      const writers = 2 + (round % 4);
      // Each writer keeps the chapters (by id), renames them its own way and reorders them differently.
      const bodies = Array.from({ length: writers }, (_, w) => ({
        version: before.version,
        chapters: before.chapters
          .map((chapter, i) => ({ id: chapter.id, title: `R${round} W${w} #${i}` }))
          .sort((x, y) => ((x.title.length + w) % 3) - ((y.title.length + w) % 3) || (w % 2 ? 1 : -1) * x.id.localeCompare(y.id)),
      }));
      const responses = await Promise.all(bodies.map((body) => api('PUT', `/v1/books/${bookId}/toc`, body)));
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200), `round ${round}: ${statuses}`).toHaveLength(1);
      expect(statuses.filter((s) => s === 409), `round ${round}: ${statuses}`).toHaveLength(writers - 1);

      const winnerIndex = statuses.indexOf(200);
      const winner = responses[winnerIndex]!.json<Toc>();
      expect(winner.version).toBe(before.version + 1);
      expect(winner.chapters.map((c) => [c.id, c.title])).toEqual(bodies[winnerIndex]!.chapters.map((c) => [c.id, c.title]));
      for (const lost of responses.filter((r) => r.statusCode === 409)) {
        const error = errorOf(lost);
        expect(error.code).toBe('CONFLICT');
        expect((error.details as { current: Toc }).current.version).toBe(winner.version);
        expect((error.details as { current: Toc }).current.chapters).toEqual(winner.chapters);
      }
      // Only the winner's structure is stored; no chapter was archived or duplicated by a loser.
      const after = await getToc(bookId);
      expect(after).toEqual(winner);
      expect(after.archived).toEqual([]);
      expect(await listAll(bookId)).toHaveLength(5);
    }
  });

  it('concurrent TOC PUTs that add chapters with the same version: only the winner creates any', async () => {
    const { bookId } = await bookWithChapters(3);
    const before = await getToc(bookId);
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, w) =>
        api('PUT', `/v1/books/${bookId}/toc`, {
          version: before.version,
          chapters: [...before.chapters.map((c) => ({ id: c.id, title: c.title })), { title: `New from writer ${w}` }],
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const listed = await listAll(bookId);
    expect(listed).toHaveLength(4);
    expect(listed.filter((c) => c.title.startsWith('New from writer'))).toHaveLength(1);
  });
});

describe('concurrent summary PUTs', () => {
  it('concurrent summary PUTs with the same version: exactly one succeeds, 10 times', async () => {
    const bookId = await createBook('Summary race');
    const url = `/v1/books/${bookId}/summary`;
    for (let round = 0; round < 10; round++) {
      const before = (await api('GET', url)).json<{ version: number }>();
      const texts = Array.from({ length: 3 }, (_, w) => `Summary by writer ${w} in round ${round}.`);
      const responses = await Promise.all(texts.map((summary) => api('PUT', url, { summary, version: before.version })));
      expect(responses.map((r) => r.statusCode).sort(), `round ${round}`).toEqual([200, 409, 409]);
      const winnerIndex = responses.findIndex((r) => r.statusCode === 200);
      const after = (await api('GET', url)).json<{ summary: string; version: number }>();
      expect(after).toMatchObject({ summary: texts[winnerIndex], version: before.version + 1 });
    }
  });
});
