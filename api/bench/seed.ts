/** A chapter the benchmark owns, its author's token, and the version its next PATCH must carry. */
export interface BenchChapter {
  id: string;
  path: string;
  token: string;
  version: number;
}

export interface Seed {
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
 * Seeds over HTTP, as clients would: `authors` authors (each created by the admin, with a token and one book) and
 * `chapterCount` chapters shared out among them. Each connection then plays one author, as fifty people writing at
 * once would, and no author's per-minute rate limit is reached by the load of a whole run.
 */
export async function seed(baseUrl: string, adminToken: string, chapterCount: number, authors = chapterCount): Promise<Seed> {
  const books: Array<{ token: string; bookId: string }> = [];
  const stamp = Date.now();
  for (let i = 1; i <= authors; i++) {
    const user = await callApi<{ id: string }>(baseUrl, 'POST', '/v1/admin/users', adminToken, { email: `bench-${stamp}-${i}@example.com` });
    const { token } = await callApi<{ token: string }>(baseUrl, 'POST', `/v1/admin/users/${user.id}/tokens`, adminToken, { label: 'bench' });
    const book = await callApi<{ id: string }>(baseUrl, 'POST', '/v1/books', token, { title: `Benchmark book ${i}` });
    books.push({ token, bookId: book.id });
  }
  const chapters: BenchChapter[] = [];
  for (let i = 0; i < chapterCount; i++) {
    const { token, bookId } = books[i % books.length]!;
    const chapter = await callApi<{ id: string; version: number }>(baseUrl, 'POST', `/v1/books/${bookId}/chapters`, token, {
      title: `Chapter ${i + 1}`,
    });
    chapters.push({ id: chapter.id, path: `/v1/books/${bookId}/chapters/${chapter.id}`, token, version: chapter.version });
  }
  return { chapters };
}

/** Re-reads every chapter's version (a run cut off mid-request may have applied a PATCH whose answer was dropped). */
export async function refreshVersions(baseUrl: string, { chapters }: Seed): Promise<void> {
  for (const chapter of chapters) {
    chapter.version = (await callApi<{ version: number }>(baseUrl, 'GET', chapter.path, chapter.token)).version;
  }
}
