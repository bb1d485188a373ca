import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../shared/blocks.js';
import type { Draft } from '../../shared/schemas/authoring.js';
import { GOOGLE_HEADERS, startDocsTestbed } from './helpers/docs-fixtures.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob } from './helpers/journey.js';
import { errorOf, type TestApp } from './helpers/test-app.js';

/**
 * A block edited by hand before accepting: a new version holding the author's words, keeping the block's sources and
 * marked as the author's; every other block byte-identical; the earlier version untouched; and the edited text is
 * what gets written into the document.
 */

let testbed: Awaited<ReturnType<typeof startDocsTestbed>>;
let t: TestApp;
let a: ReturnType<typeof authorClient>;
let bookId: string;
let chapterId: string;
let first: Draft;

const url = (rest: string) => `/v1/books/${bookId}/chapters/${chapterId}${rest}`;
const edit = (draftId: string, payload: object) => a.call('POST', url(`/drafts/${draftId}/edit`), payload);

beforeAll(async () => {
  testbed = await startDocsTestbed();
  t = testbed.t;
  a = authorClient(t, testbed.author.token);
  bookId = await a.book('Listening');
  chapterId = (await a.chapter(bookId, 'Ask first')).id;
  const questions = await a.questions(bookId, chapterId, 5);
  await a.answer(bookId, chapterId, questions[0]!.id, 'On the ward, Maria asked her nurse what had surprised her that week. Then she listened.');
  await a.answer(bookId, chapterId, questions[1]!.id, '- Ask one open question\n- Listen for two minutes\n- Write down one thing');
  const job = await runJob(t, testbed.author.token, 'POST', url('/drafts/generate'), { style: 'professional', targetWords: 300 });
  first = (await a.call('GET', url(`/drafts/${job.result.draftId as string}`))).json<Draft>();
});
afterAll(() => testbed.close());

const paragraphIndex = () => first.blocks.findIndex((b) => b.type === 'paragraph');
const listIndex = () => first.blocks.findIndex((b) => b.type === 'list');

describe('editing a block by hand', () => {
  it('makes a new version with the author’s words, the block’s sources kept and marked as theirs; the rest byte-identical', async () => {
    const at = paragraphIndex();
    const blockId = `B${at + 1}`;
    const response = await edit(first.id, { blockId, text: '  Maria asked, and then\nshe listened — for two whole minutes.  ' });
    expect(response.statusCode, response.body).toBe(201);
    const edited = response.json<Draft>();
    expect(edited).toMatchObject({ number: first.number + 1, basedOnDraftId: first.id, change: { kind: 'edit', instruction: null, blockIds: [blockId] }, accepted: false });
    const before = first.blocks[at] as Extract<Block, { type: 'paragraph' }>;
    // Newlines and edge spaces are cleaned like any block text.
    expect(edited.blocks[at]).toEqual({ ...before, text: 'Maria asked, and then she listened — for two whole minutes.', unsupported: false, authored: true });
    edited.blocks.forEach((block, i) => {
      if (i !== at) expect(JSON.stringify(block)).toBe(JSON.stringify(first.blocks[i]));
    });
    expect(edited.generatedBy).toEqual(first.generatedBy);
    // The version it was made from is unchanged.
    expect((await a.call('GET', url(`/drafts/${first.id}`))).json<Draft>()).toEqual(first);
  });

  it('edits a list item by item; refuses text for a list, items for a paragraph, a block the draft lacks, or no change', async () => {
    const list = listIndex();
    expect(list).toBeGreaterThanOrEqual(0);
    const ok = await edit(first.id, { blockId: `B${list + 1}`, items: ['Ask one open question', 'Listen'] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Draft>().blocks[list]).toMatchObject({ type: 'list', items: ['Ask one open question', 'Listen'], authored: true });

    const refusals = [
      { blockId: `B${list + 1}`, text: 'A list as one line' },
      { blockId: `B${paragraphIndex() + 1}`, items: ['one'] },
      { blockId: `B${first.blocks.length + 1}`, text: 'Nowhere' },
      { blockId: 'B0', text: 'Nowhere' },
      { blockId: `B${paragraphIndex() + 1}`, text: (first.blocks[paragraphIndex()] as { text: string }).text },
      { blockId: `B${paragraphIndex() + 1}`, text: ' \u200b ' },
    ];
    for (const payload of refusals) {
      const refused = await edit(first.id, payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(refused).code).toBe('VALIDATION');
    }
  });

  it('made at once, versions never share a number and none is lost', async () => {
    const blockId = `B${paragraphIndex() + 1}`;
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => edit(first.id, { blockId, text: `Version by hand number ${i}.` })));
    expect(made.map((r) => r.statusCode)).toEqual(new Array(8).fill(201));
    const numbers = made.map((r) => r.json<Draft>().number);
    expect(new Set(numbers).size).toBe(8);
    const listed = (await a.call('GET', url('/drafts?limit=100'))).json<{ items: Draft[] }>().items;
    for (const response of made) expect(listed.some((d) => d.id === response.json<Draft>().id)).toBe(true);
  });

  it('is another author’s draft: 404', async () => {
    const other = await t.newUser();
    const response = await t.as(other.token, { method: 'POST', url: url(`/drafts/${first.id}/edit`), payload: { blockId: 'B1', text: 'Mine now' } });
    expect(response.statusCode).toBe(404);
  });

  it('the accepted edited version is what gets written into the document', async () => {
    const at = paragraphIndex();
    const edited = (await edit(first.id, { blockId: `B${at + 1}`, text: 'Written by hand, word for word.' })).json<Draft>();
    expect((await a.call('POST', url(`/drafts/${edited.id}/accept`))).statusCode).toBe(200);
    const documentId = testbed.emulator.createDocument({ title: 'Manuscript', paragraphs: ['Before the chapters.'] });
    expect((await a.call('PUT', `/v1/books/${bookId}/doc`, { documentId })).statusCode).toBe(200);
    const written = await t.as(testbed.author.token, { method: 'POST', url: `/v1/books/${bookId}/doc/write`, payload: { documentId }, headers: GOOGLE_HEADERS });
    expect(written.statusCode, written.body).toBe(200);
    const text = testbed.emulator.text(documentId);
    expect(text).toContain('Written by hand, word for word.');
    expect(text).not.toContain((first.blocks[at] as { text: string }).text);
  });
});
