import type { Block } from '../../../shared/blocks.js';
import { newId } from '../../../shared/ids.js';
import { startDocsEmulator } from '../support/docs-emulator/index.js';
import { buildTestApp, type TestApp } from './test-app.js';
import { acceptDraft as storeAcceptedDraft, addDraft } from '../../src/services/draft-rules.js';

const OFFLINE = { provider: 'offline', model: 'offline-templates-v1', promptVersion: 'draft.v1', offline: true };

/** Creates a book with chapters whose accepted drafts are the given blocks (stored directly: no AI needed). */
export async function bookWithDrafts(t: TestApp, token: string, chapters: Array<{ title: string; blocks: Block[] }>) {
  const book = (await t.as(token, { method: 'POST', url: '/v1/books', payload: { title: 'Docs book' } })).json<{ id: string }>();
  const ids: string[] = [];
  for (const chapter of chapters) {
    const created = (await t.as(token, { method: 'POST', url: `/v1/books/${book.id}/chapters`, payload: { title: chapter.title } })).json<{ id: string }>();
    ids.push(created.id);
    await acceptDraft(t, book.id, created.id, chapter.blocks);
  }
  return { bookId: book.id, chapterIds: ids };
}

/** Stores and accepts a new draft of a chapter. */
export async function acceptDraft(t: TestApp, bookId: string, chapterId: string, blocks: Block[]) {
  const id = newId('draft');
  const number = ((await t.app.store.drafts.list(chapterId, 1, null))[0]?.number ?? 0) + 1;
  await addDraft(
    t.app.store,
    { id, bookId, chapterId, number, style: 'professional', targetWords: 500, words: 10, blocks, continuityFlags: [], generatedBy: OFFLINE, basedOnDraftId: null, change: null, acceptedAt: null, createdAt: new Date().toISOString() },
    50,
  );
  await storeAcceptedDraft(t.app.store, chapterId, id, new Date().toISOString());
}

const src = [{ questionId: 'q_01JTEST00000000000000000000', answerVersion: 1 }];

/** A small chapter: a paragraph, a section heading, a bulleted list and a quote. */
export function sampleBlocks(label: string): Block[] {
  return [
    { type: 'paragraph', text: `${label} opens with a paragraph.`, sources: src, unsupported: false },
    { type: 'heading', level: 2, text: `${label} section` },
    { type: 'list', ordered: false, items: [`${label} point one`, `${label} point two`], sources: src, unsupported: false },
    { type: 'quote', text: `${label} quoted line.`, sources: src, unsupported: false },
  ];
}

/** The Google access token tests send (any non-empty token passes the emulator). */
export const GOOGLE_HEADERS = { 'x-google-access-token': 'ya29.test-access-token' };

/** A Docs API emulator and the real app pointed at it, with one author; `close` stops both. */
export async function startDocsTestbed() {
  const emulator = await startDocsEmulator();
  const t = await buildTestApp({ GOOGLE_DOCS_ROOT_URL: emulator.url }, { docsBackoffMs: 5 });
  const author = await t.newUser();
  return {
    emulator, t, author,
    async close() {
      await t.close();
      await emulator.close();
    },
  };
}
