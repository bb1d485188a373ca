import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOGLE_HEADERS, startDocsTestbed } from './helpers/docs-fixtures.js';
import { errorOf } from './helpers/test-app.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'google-docs');
const GOOGLE = GOOGLE_HEADERS;
let testbed: Awaited<ReturnType<typeof startDocsTestbed>>;

beforeAll(async () => {
  testbed = await startDocsTestbed();
});
afterAll(() => testbed.close());

/** A book linked to a seeded document, with one accepted draft ready to write. */
async function linkedBook(name: string) {
  const { emulator, t, author } = testbed;
  const documentId = emulator.seedFromFixture(path.join(FIXTURES, 'texts.json'), { documentId: `replies-${name.replace(/\W+/g, '-')}-${Date.now()}` });
  const book = (await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: name } })).json<{ id: string }>();
  return { bookId: book.id, documentId };
}

const MALFORMED: Record<string, { text: string; contentType?: string }> = {
  'an HTML page': { text: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html; charset=UTF-8' },
  'cut JSON': { text: '{"documentId": "d", "title": "T", "body": {"content": [' },
  'a JSON array': { text: '[]' },
  'a document without content': { text: JSON.stringify({ documentId: 'd', title: 'T' }) },
  'content of the wrong type': { text: JSON.stringify({ documentId: 'd', body: { content: 'text' } }) },
  'indexes of the wrong type': { text: JSON.stringify({ documentId: 'd', body: { content: [{ startIndex: 'one', paragraph: {} }] } }) },
};

describe('Docs API answers are checked before anything is read or written', () => {
  for (const [label, rawBody] of Object.entries(MALFORMED)) {
    it(`import: ${label} is GOOGLE_UNAVAILABLE, never an empty document`, async () => {
      const { emulator, t, author } = testbed;
      const { bookId, documentId } = await linkedBook(label);
      emulator.injectFault({ method: 'get', documentId, rawBody });
      const response = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/doc/import`, payload: { documentId }, headers: GOOGLE });
      expect(response.statusCode, response.body).toBe(503);
      expect(errorOf(response)).toMatchObject({ code: 'GOOGLE_UNAVAILABLE' });
      expect(errorOf(response).message).toContain('not a document');
      expect(response.body).not.toContain('Bad Gateway');
      // Nothing was taken from it: no proposal, no material, and the next (well-formed) answer imports normally.
      const again = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/doc/import`, payload: { documentId }, headers: GOOGLE });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().chapters).toEqual([{ title: 'Title level 1', sections: ['Title level 2'] }]);
    });
  }

  it('write: a malformed read before a write leaves the document untouched', async () => {
    const { emulator, t, author } = testbed;
    const { bookId, documentId } = await linkedBook('write');
    const before = JSON.stringify(emulator.paragraphs(documentId));
    emulator.injectFault({ method: 'get', documentId, rawBody: MALFORMED['a document without content']! });
    const response = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/doc/write`, payload: { documentId }, headers: GOOGLE });
    expect(response.statusCode, response.body).toBe(503);
    expect(errorOf(response).code).toBe('GOOGLE_UNAVAILABLE');
    expect(emulator.counts.byDocument[documentId]?.batchUpdate ?? 0).toBe(0);
    expect(JSON.stringify(emulator.paragraphs(documentId))).toBe(before);
  });
});
