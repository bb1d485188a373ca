import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft } from '../../shared/schemas/authoring.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob, waitForJob } from './helpers/journey.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

/**
 * Revision and rework in template mode (no AI model, no configuration): deterministic transforms of the author's own
 * material, labelled as template mode, free, and refused up front (before any job) where no template can follow.
 */

let t: TestApp;
let token: string;
let a: ReturnType<typeof authorClient>;
let bookId: string;
let chapterId: string;
let draft: Draft;

const url = (rest: string) => `/v1/books/${bookId}/chapters/${chapterId}${rest}`;
const TWO = 'On the ward, Maria asked her nurse what had surprised her that week. Then she listened for two whole minutes.';
const LIST = '- Ask one open question\n- Listen for two minutes\n- Write down one thing';

beforeAll(async () => {
  t = await buildTestApp();
  const user = await t.newUser();
  token = user.token;
  a = authorClient(t, token);
  bookId = await a.book('Listening');
  chapterId = (await a.chapter(bookId, 'Ask first')).id;
  const questions = await a.questions(bookId, chapterId, 5);
  await a.answer(bookId, chapterId, questions[0]!.id, `${TWO} She wrote down what the nurse said. The next week the nurse came back with a question of her own.`);
  await a.answer(bookId, chapterId, questions[1]!.id, LIST);
  const job = await runJob(t, token, 'POST', url('/drafts/generate'), { style: 'professional', targetWords: 300 });
  draft = (await a.call('GET', url(`/drafts/${job.result.draftId as string}`))).json<Draft>();
});
afterAll(() => t.close());

async function rework(blockId: string, action: string, from = draft.id) {
  const job = await runJob(t, token, 'POST', url(`/drafts/${from}/rework`), { blockId, action });
  return (await a.call('GET', url(`/drafts/${job.result.draftId as string}`))).json<Draft>();
}
const index = (type: string) => draft.blocks.findIndex((b) => b.type === type);
const others = (made: Draft, changed: number) =>
  made.blocks.forEach((block, i) => {
    if (i !== changed) expect(JSON.stringify(block)).toBe(JSON.stringify(draft.blocks[i]));
  });

describe('template mode revisions', () => {
  it('shortens a paragraph to its first sentences and a list to its first items, the rest byte-identical, labelled template mode', async () => {
    const p = index('paragraph');
    const short = await rework(`B${p + 1}`, 'shorten');
    expect(short.generatedBy.offline).toBe(true);
    const before = draft.blocks[p] as { text: string; sources: unknown };
    const after = short.blocks[p] as { text: string; sources: unknown };
    expect(before.text.startsWith(after.text)).toBe(true);
    expect(after.text.length).toBeLessThan(before.text.length);
    expect(after.sources).toEqual(before.sources);
    others(short, p);

    const l = index('list');
    const shorter = await rework(`B${l + 1}`, 'shorten');
    expect(shorter.blocks[l]).toMatchObject({ type: 'list', items: ['Ask one open question', 'Listen for two minutes'] });
    others(shorter, l);
  });

  it('rephrases a list as a paragraph; expands a shortened block with its answer’s sentences; regenerates from the answer', async () => {
    const l = index('list');
    const prose = await rework(`B${l + 1}`, 'rephrase');
    expect(prose.blocks[l]).toMatchObject({ type: 'paragraph', text: 'Ask one open question. Listen for two minutes. Write down one thing.' });
    others(prose, l);

    // The paragraph is already the answer's own words: rebuilding it would change nothing, so it is refused up front.
    const p = index('paragraph');
    const same = await a.call('POST', url(`/drafts/${draft.id}/rework`), { blockId: `B${p + 1}`, action: 'regenerate' });
    expect(same.statusCode).toBe(400);
    expect(errorOf(same).message).toMatch(/^Template mode \(no AI model\) would leave this as it is/u);
    // Shortened, it can be expanded back from its answer, and rebuilt from it.
    const short = await rework(`B${p + 1}`, 'shorten');
    const quote = await a.call('POST', '/v1/quote', { operation: 'draft.rework', bookId, chapterId, params: { draftId: short.id, blockId: `B${p + 1}`, action: 'expand' } });
    expect(quote.json()).toMatchObject({ offline: true, estimatedTokens: 0, cached: false });
    const expanded = await rework(`B${p + 1}`, 'expand', short.id);
    expect((expanded.blocks[p] as { text: string }).text).toBe((draft.blocks[p] as { text: string }).text);
    const rebuilt = await rework(`B${p + 1}`, 'regenerate', short.id);
    expect((rebuilt.blocks[p] as { text: string }).text).toBe((draft.blocks[p] as { text: string }).text);
    others(rebuilt, p);
  });

  it('revises the whole draft by a recognised instruction and says why it cannot follow another, before any job', async () => {
    const jobs = async () => (await a.call('GET', `/v1/jobs?bookId=${bookId}&limit=100`)).json<{ items: unknown[] }>().items.length;
    const started = await jobs();
    const refused = await a.call('POST', url(`/drafts/${draft.id}/revise`), { instruction: 'Make it warmer' });
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).message).toMatch(/^Template mode \(no AI model\) can follow only these instructions/u);
    const heading = draft.blocks.findIndex((b) => b.type === 'heading');
    if (heading >= 0) expect((await a.call('POST', url(`/drafts/${draft.id}/rework`), { blockId: `B${heading + 1}`, action: 'expand' })).statusCode).toBe(400);
    expect(await jobs()).toBe(started);
    const quote = await a.call('POST', '/v1/quote', { operation: 'draft.revise', bookId, chapterId, params: { draftId: draft.id, instruction: 'Make it warmer' } });
    expect(quote.statusCode).toBe(400);

    const free = (await a.call('POST', '/v1/quote', { operation: 'draft.revise', bookId, chapterId, params: { draftId: draft.id, instruction: 'Shorter, please' } })).json();
    expect(free).toMatchObject({ offline: true, estimatedTokens: 0 });
    const started2 = await a.call('POST', url(`/drafts/${draft.id}/revise`), { instruction: 'Shorter, please' });
    const job = await waitForJob(t, token, started2.json<{ job: { id: string } }>().job.id);
    expect(job.status).toBe('succeeded');
    const revised = (await a.call('GET', url(`/drafts/${job.result.draftId as string}`))).json<Draft>();
    expect(revised).toMatchObject({ change: { kind: 'revise', instruction: 'Shorter, please', blockIds: [] }, generatedBy: { offline: true } });
    expect(revised.words).toBeLessThan(draft.words);
  });
});
