import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chapterRangeName, planText } from '../../shared/doc-plan.js';
import { DOC_BLOCK_VECTORS } from '../../shared/test-vectors/doc-blocks.js';
import type { DocsEmulator } from './support/docs-emulator/index.js';
import { acceptDraft, bookWithDrafts, GOOGLE_HEADERS, sampleBlocks, startDocsTestbed } from './helpers/docs-fixtures.js';
import { errorOf, type TestApp } from './helpers/test-app.js';

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
beforeEach(() => emulator.resetCounts());

const write = (bookId: string, payload: object, headers: Record<string, string> = GOOGLE) =>
  t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/doc/write`, payload, headers });

const AUTHOR_TEXT = [
  'Notes I wrote before Auto-Author.',
  { text: 'My own heading', namedStyleType: 'HEADING_1' },
  'A paragraph with an emoji 🎉 and CJK 漢字, left alone.',
];

describe('writing chapters into the doc', () => {
  it('writes a 3-chapter book in TOC order with heading styles and bullets; the author\'s text stays byte-identical', async () => {
    const documentId = emulator.createDocument({ title: 'Manuscript', paragraphs: AUTHOR_TEXT });
    const before = emulator.text(documentId);
    const { bookId, chapterIds } = await bookWithDrafts(t, author.token, [
      { title: 'One', blocks: sampleBlocks('One') }, { title: 'Two', blocks: sampleBlocks('Two') }, { title: 'Three', blocks: sampleBlocks('Three') },
    ]);
    const response = await write(bookId, { documentId });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().chapters.map((c: { status: string }) => c.status)).toEqual(['written', 'written', 'written']);
    expect(emulator.counts).toMatchObject({ get: 1, batchUpdate: 1 });

    const after = emulator.text(documentId);
    expect(after.startsWith(before.slice(0, -1))).toBe(true);
    const paragraphs = emulator.paragraphs(documentId);
    expect(paragraphs.slice(0, 3).map((p) => [p.text, p.namedStyleType])).toEqual([
      ['Notes I wrote before Auto-Author.', 'NORMAL_TEXT'], ['My own heading', 'HEADING_1'], ['A paragraph with an emoji 🎉 and CJK 漢字, left alone.', 'NORMAL_TEXT'],
    ]);
    const headings = paragraphs.filter((p) => p.namedStyleType === 'HEADING_1').map((p) => p.text);
    expect(headings).toEqual(['My own heading', 'One', 'Two', 'Three']);
    const two = paragraphs.findIndex((p) => p.text === 'Two');
    expect(paragraphs.slice(two, two + 6).map((p) => [p.text, p.namedStyleType, p.bullet !== null])).toEqual([
      ['Two', 'HEADING_1', false], ['Two opens with a paragraph.', 'NORMAL_TEXT', false], ['Two section', 'HEADING_2', false],
      ['Two point one', 'NORMAL_TEXT', true], ['Two point two', 'NORMAL_TEXT', true], ['Two quoted line.', 'NORMAL_TEXT', false],
    ]);
    const ranges = emulator.namedRanges(documentId);
    for (const chapterId of chapterIds) expect(ranges.filter((r) => r.name === chapterRangeName(bookId, chapterId))).toHaveLength(1);

    const status = (await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/doc` })).json();
    expect(status).toMatchObject({ documentId });
    expect(status.chapters.map((c: { chapterId: string }) => c.chapterId).sort()).toEqual([...chapterIds].sort());
  });

  it('rewrites chapter 2 in exactly its range: no duplicate heading, chapters 1 and 3 unchanged', async () => {
    const documentId = emulator.createDocument({ paragraphs: AUTHOR_TEXT });
    const { bookId, chapterIds } = await bookWithDrafts(t, author.token, [
      { title: 'One', blocks: sampleBlocks('One') }, { title: 'Two', blocks: sampleBlocks('Two') }, { title: 'Three', blocks: sampleBlocks('Three') },
    ]);
    await write(bookId, { documentId });
    const before = emulator.paragraphs(documentId);
    await acceptDraft(t, bookId, chapterIds[1]!, [{ type: 'paragraph', text: 'A shorter second chapter, rewritten.', sources: [], unsupported: true }]);
    emulator.resetCounts();
    const response = await write(bookId, { documentId, chapterIds: [chapterIds[1]] });
    expect(response.json().chapters).toEqual([expect.objectContaining({ chapterId: chapterIds[1], status: 'written' })]);
    expect(emulator.counts).toMatchObject({ get: 1, batchUpdate: 1 });
    const after = emulator.paragraphs(documentId);
    expect(after.filter((p) => p.text === 'Two')).toHaveLength(1);
    const slice = (list: typeof after, from: string, to?: string) => list.slice(list.findIndex((p) => p.text === from), to ? list.findIndex((p) => p.text === to) : undefined);
    expect(slice(after, 'One', 'Two')).toEqual(slice(before, 'One', 'Two'));
    expect(slice(after, 'Three')).toEqual(slice(before, 'Three'));
    expect(slice(after, 'Two', 'Three').map((p) => p.text)).toEqual(['Two', 'A shorter second chapter, rewritten.']);
  });

  it('places a new chapter in TOC order among chapters already written', async () => {
    const documentId = emulator.createDocument({ paragraphs: ['Intro.'] });
    const { bookId, chapterIds } = await bookWithDrafts(t, author.token, [
      { title: 'First', blocks: sampleBlocks('First') }, { title: 'Middle', blocks: sampleBlocks('Middle') }, { title: 'Last', blocks: sampleBlocks('Last') },
    ]);
    await write(bookId, { documentId, chapterIds: [chapterIds[0], chapterIds[2]] });
    await write(bookId, { documentId, chapterIds: [chapterIds[1]] });
    const headings = emulator.paragraphs(documentId).filter((p) => p.namedStyleType === 'HEADING_1').map((p) => p.text);
    expect(headings).toEqual(['First', 'Middle', 'Last']);
  });

  for (const vector of DOC_BLOCK_VECTORS) {
    it(`lands text at correct UTF-16 indexes: ${vector.name}`, async () => {
      const documentId = emulator.createDocument({ paragraphs: ['Before 👋🏽 text.'] });
      const { bookId, chapterIds } = await bookWithDrafts(t, author.token, [{ title: vector.title, blocks: vector.blocks }]);
      expect((await write(bookId, { documentId })).statusCode).toBe(200);
      const paragraphs = emulator.paragraphs(documentId).slice(1);
      expect(paragraphs.map((p) => ({ text: p.text, style: p.namedStyleType, bullet: p.bullet !== null }))).toEqual(
        vector.expected.map((p) => ({ text: p.text, style: p.style, bullet: p.bullet !== null })),
      );
      const range = emulator.namedRanges(documentId).find((r) => r.name === chapterRangeName(bookId, chapterIds[0]!));
      expect(range?.text).toBe(planText(vector.expected));
    });
  }

  it('re-reads and retries when the author edits between the read and the write; their edit survives', async () => {
    const documentId = emulator.createDocument({ paragraphs: ['Original first line.'] });
    const { bookId } = await bookWithDrafts(t, author.token, [{ title: 'Racing chapter', blocks: sampleBlocks('Race') }]);
    emulator.afterNext('get', async ({ emulator: e }) => {
      e.editAsAuthor(documentId, [{ insertText: { location: { index: 1 }, text: 'Typed meanwhile. ' } }]);
    }, { documentId });
    const response = await write(bookId, { documentId });
    expect(response.statusCode, response.body).toBe(200);
    // The refused write's 400 is a conflict because a revision read shows the document moved; then a full re-read.
    expect(emulator.counts).toMatchObject({ get: 3, batchUpdate: 2 });
    const paragraphs = emulator.paragraphs(documentId);
    expect(paragraphs[0]!.text).toBe('Typed meanwhile. Original first line.');
    expect(paragraphs.filter((p) => p.text === 'Racing chapter')).toHaveLength(1);
  });

  it('reports a 400 on a document that did not move as the refused write it is, never as a conflict to retry', async () => {
    const documentId = emulator.createDocument({ paragraphs: ['Untouched.'] });
    const { bookId } = await bookWithDrafts(t, author.token, [{ title: 'Refused chapter', blocks: sampleBlocks('Refused') }]);
    emulator.injectFault({ method: 'batchUpdate', documentId, status: 400, message: 'Invalid requests[0].insertText: Index 99 must be less than the end index.' });
    const response = await write(bookId, { documentId });
    expect(response.statusCode).toBe(500);
    expect(errorOf(response)).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('nothing in the document changed') });
    expect(emulator.countsFor(documentId)).toEqual({ get: 2, batchUpdate: 1 });
    expect(emulator.text(documentId)).toBe('Untouched.\n');
  });

  it('writes a 30-chapter book with exactly one read and one batchUpdate', async () => {
    const documentId = emulator.createDocument({ paragraphs: ['Start.'] });
    const chapters = Array.from({ length: 30 }, (_, i) => ({ title: `Chapter ${i + 1}`, blocks: sampleBlocks(`C${i + 1}`) }));
    const { bookId } = await bookWithDrafts(t, author.token, chapters);
    const response = await write(bookId, { documentId });
    expect(response.json().chapters.filter((c: { status: string }) => c.status === 'written')).toHaveLength(30);
    expect(emulator.counts).toMatchObject({ get: 1, batchUpdate: 1 });
    const headings = emulator.paragraphs(documentId).filter((p) => p.namedStyleType === 'HEADING_1').map((p) => p.text);
    expect(headings).toEqual(chapters.map((c) => c.title));
  });

  it('skips a chapter the author edited in the doc (DOC_CHAPTER_EDITED) unless overwrite is set', async () => {
    const documentId = emulator.createDocument({ paragraphs: ['Top.'] });
    const { bookId, chapterIds } = await bookWithDrafts(t, author.token, [{ title: 'Edited chapter', blocks: sampleBlocks('Edit') }]);
    await write(bookId, { documentId });
    const range = emulator.namedRanges(documentId)[0]!;
    emulator.editAsAuthor(documentId, [{ insertText: { location: { index: range.ranges[0]!.startIndex + 3 }, text: ' (my edit)' } }]);
    const skipped = (await write(bookId, { documentId })).json();
    expect(skipped.chapters[0]).toMatchObject({ chapterId: chapterIds[0], status: 'skipped', code: 'DOC_CHAPTER_EDITED' });
    expect(skipped.chapters[0].currentText).toContain('(my edit)');
    expect(emulator.text(documentId)).toContain('(my edit)');
    const forced = (await write(bookId, { documentId, overwrite: true })).json();
    expect(forced.chapters[0].status).toBe('written');
    expect(emulator.text(documentId)).not.toContain('(my edit)');
  });

  it('writes to the tab the author chose', async () => {
    const documentId = emulator.createDocument({
      tabs: [{ tabId: 't.0', title: 'Notes', paragraphs: ['Tab one.'] }, { tabId: 't.book', title: 'Book', paragraphs: ['Tab two.'] }],
    });
    const { bookId } = await bookWithDrafts(t, author.token, [{ title: 'Tabbed', blocks: sampleBlocks('Tab') }]);
    expect((await write(bookId, { documentId, tabId: 't.book' })).statusCode).toBe(200);
    expect(emulator.text(documentId, 't.0')).toBe('Tab one.\n');
    expect(emulator.paragraphs(documentId, 't.book').map((p) => p.text)).toContain('Tabbed');
  });
});

describe('Google errors', () => {
  it('needs a Google token (GOOGLE_AUTH_REQUIRED), and maps 403, 404, a foreign doc and 429', async () => {
    const documentId = emulator.createDocument({ paragraphs: ['x'] });
    const { bookId } = await bookWithDrafts(t, author.token, [{ title: 'E', blocks: sampleBlocks('E') }]);
    const noToken = await write(bookId, { documentId }, {});
    expect(noToken.statusCode).toBe(401);
    expect(errorOf(noToken).code).toBe('GOOGLE_AUTH_REQUIRED');

    emulator.forbid(documentId);
    expect(errorOf(await write(bookId, { documentId })).code).toBe('GOOGLE_FORBIDDEN');
    emulator.forbid(documentId, false);

    const other = await bookWithDrafts(t, author.token, [{ title: 'F', blocks: sampleBlocks('F') }]);
    const missing = await write(other.bookId, { documentId: 'doesNotExist123' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('DOC_NOT_FOUND');

    expect(errorOf(await write(bookId, { documentId: 'anotherDoc456' })).code).toBe('DOC_NOT_LINKED');

    emulator.injectFault({ method: 'batchUpdate', documentId, status: 429, times: 2 });
    const retried = await write(bookId, { documentId });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().chapters[0].status).toBe('written');
  });
});
