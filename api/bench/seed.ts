import { LIMITS } from '../../shared/limits.js';

/** A chapter the benchmark owns, with the version its next PATCH must carry. */
export interface BenchChapter {
  id: string;
  path: string;
  version: number;
}

export interface Seed {
  token: string;
  bookId: string;
  chapters: BenchChapter[];
}

/** One JSON call; anything but 2xx is an error naming the route, status and body. */
export async function callApi<T>(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Seeds over HTTP, as a client would: a user (by the admin), its token, one book and `chapterCount` chapters
 * (capped at the per-book limit).
 */
export async function seed(baseUrl: string, adminToken: string, chapterCount: number): Promise<Seed> {
  const user = await callApi<{ id: string }>(baseUrl, 'POST', '/v1/admin/users', adminToken, {
    email: `bench-${Date.now()}@example.com`,
  });
  const { token } = await callApi<{ token: string }>(baseUrl, 'POST', `/v1/admin/users/${user.id}/tokens`, adminToken, {
    label: 'bench',
  });
  const book = await callApi<{ id: string }>(baseUrl, 'POST', '/v1/books', token, { title: 'Benchmark book' });
  const chapters: BenchChapter[] = [];
  for (let i = 1; i <= Math.min(chapterCount, LIMITS.chaptersPerBook); i++) {
    const chapter = await callApi<{ id: string; version: number }>(baseUrl, 'POST', `/v1/books/${book.id}/chapters`, token, {
      title: `Chapter ${i}`,
    });
    chapters.push({ id: chapter.id, path: `/v1/books/${book.id}/chapters/${chapter.id}`, version: chapter.version });
  }
  return { token, bookId: book.id, chapters };
}

/** Re-reads every chapter's version (a run cut off mid-request may have applied a PATCH whose answer was dropped). */
export async function refreshVersions(baseUrl: string, { token, chapters }: Seed): Promise<void> {
  for (const chapter of chapters) {
    chapter.version = (await callApi<{ version: number }>(baseUrl, 'GET', chapter.path, token)).version;
  }
}
