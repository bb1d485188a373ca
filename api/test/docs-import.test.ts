import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEmulator } from './support/docs-emulator/index.js';
import { GOOGLE_HEADERS, startDocsTestbed } from './helpers/docs-fixtures.js';
import { errorOf, type TestApp } from './helpers/test-app.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/google-docs');
let emulator: DocsEmulator;
let t: TestApp;
let author: { token: string };
let testbed: Awaited<ReturnType<typeof startDocsTestbed>>;
const GOOGLE = GOOGLE_HEADERS;

beforeAll(async () => {
  testbed = await startDocsTestbed();
  ({ emulator, t, author } = testbed);
});
afterAll(() => testbed.close());

async function importFixture(name: string) {
  const documentId = emulator.seedFromFixture(path.join(FIXTURES, name), { documentId: `fixture-${name.replace('.json', '')}-${Date.now()}` });
  const book = (await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: name } })).json();
  const response = await t.as(author.token, { method: 'POST', url: `/v1/books/${book.id}/doc/import`, payload: { documentId }, headers: GOOGLE });
  expect(response.statusCode, response.body).toBe(200);
  return { bookId: book.id as string, documentId, result: response.json() };
}

describe('importing a doc', () => {
  it('texts.json: HEADING_1 becomes a chapter, HEADING_2 its section; body text is summary material', async () => {
    const { bookId, result } = await importFixture('texts.json');
    expect(result.chapters).toEqual([{ title: 'Title level 1', sections: ['Title level 2'] }]);
    expect(result.material).toContain('boldItalic');
    expect(result.material).toContain('vertical indent');
    expect(result.material).not.toContain('Title level 3');
    const proposal = (await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/toc/proposals/${result.proposalId}` })).json();
    expect(proposal).toMatchObject({ status: 'pending', generatedBy: { provider: 'import', offline: true } });
    expect(proposal.chapters[0]).toMatchObject({ id: null, title: 'Title level 1', children: [{ title: 'Title level 2' }] });
    const applied = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/toc/proposals/${result.proposalId}/apply` });
    expect(applied.json().toc.chapters.map((c: { title: string }) => c.title)).toEqual(['Title level 1']);
    expect((await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}` })).json().documentId).toBe(result.documentId);
  });

  it('lists.json: no headings → no proposal; every list item is material', async () => {
    const { result } = await importFixture('lists.json');
    expect(result.proposalId).toBeNull();
    expect(result.chapters).toEqual([]);
    for (const item of ['List item 1', 'Sublist item 2', 'Sub sub list item 1', 'List item 5']) expect(result.material).toContain(item);
  });

  it('quotes.json: the quoted paragraphs are material', async () => {
    const { result } = await importFixture('quotes.json');
    const expected = emulator.paragraphs(result.documentId).map((p) => p.text.trim()).filter(Boolean);
    expect(expected.length).toBeGreaterThan(0);
    for (const text of expected) expect(result.material).toContain(text);
  });

  it('special-chars.json: narrow no-break spaces survive', async () => {
    const { result } = await importFixture('special-chars.json');
    expect(result.material).toContain('\u202F');
    expect(result.material).toBe(emulator.paragraphs(result.documentId).map((p) => p.text).filter(Boolean).join('\n'));
  });

  it('accepts an outline read by the host itself (the add-on), without a Google token', async () => {
    const book = (await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: 'Host outline' } })).json();
    const response = await t.as(author.token, {
      method: 'POST', url: `/v1/books/${book.id}/doc/import`,
      payload: { documentId: 'hostDoc1', outline: { paragraphs: [{ text: 'Part A', style: 'HEADING_1' }, { text: 'Body.', style: 'NORMAL_TEXT' }] } },
    });
    expect(response.json()).toMatchObject({ chapters: [{ title: 'Part A', sections: [] }], material: 'Body.' });
    const noToken = await t.as(author.token, { method: 'POST', url: `/v1/books/${book.id}/doc/import`, payload: { documentId: 'hostDoc1' } });
    expect(errorOf(noToken).code).toBe('GOOGLE_AUTH_REQUIRED');
  });
});
