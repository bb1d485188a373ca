import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TITLE_WORDS, splitSentences } from '../src/ai/offline/key-phrases.js';
import { offlineTocOutline } from '../src/ai/offline/toc-outline.js';
import { runJob } from './helpers/journey.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

// A brief as a new author writes it: a long title, a sentence said twice, and interview answers that repeat
// themselves behind a numbered prefix (the way the add-on walk-through answered).
const BRIEF = {
  title: 'Notes from the Ward: what nobody tells a nurse on the day she becomes the manager of the whole ward',
  audience: 'nurses promoted to ward manager',
};
const SUMMARY =
  'Most new ward managers were excellent nurses, and nobody taught them how to lead. This book follows Ana, a ' +
  'night-shift nurse promoted to manage a 28-bed ward, through her first year. It covers rotas, difficult ' +
  'conversations, budgets and the grief of losing patients. Most new ward managers were excellent nurses, and ' +
  'nobody taught them how to lead. It shows how to build a team that trusts each other, even when the ward is ' +
  'short of staff for months and every shift feels like the one where something will finally go wrong.';
const interviewAnswer = (i: number) => `Answer ${i}: the reader is a nurse who has just become a ward manager.`;
const comparable = (text: string) => text.toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

let t: TestApp;
let author: { token: string };
beforeAll(async () => {
  t = await buildTestApp();
  author = await t.newUser();
});
afterAll(() => t.close());

const as = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.as(author.token, { method, url, ...(payload ? { payload } : {}) });

async function bookWithInterview() {
  const book = (await as('POST', '/v1/books', BRIEF)).json();
  expect((await as('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 })).statusCode).toBe(200);
  await runJob(t, author.token, 'POST', `/v1/books/${book.id}/interview/generate`);
  const interview = (await as('GET', `/v1/books/${book.id}/interview`)).json();
  const answers = interview.questions.map((q: { id: string }, i: number) => ({ questionId: q.id, text: interviewAnswer(i) }));
  expect((await as('PUT', `/v1/books/${book.id}/interview/answers`, { answers })).statusCode).toBe(200);
  return book as { id: string };
}

describe('template mode (no AI model) makes a usable, honest book', () => {
  it('proposes a TOC of short, distinct noun phrases: never a cut or copied sentence, never "…"', async () => {
    const book = await bookWithInterview();
    const job = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/toc/generate`);
    const proposal = (await as('GET', `/v1/books/${book.id}/toc/proposals/${job.result.proposalId}`)).json();
    expect(proposal.generatedBy).toMatchObject({ provider: 'offline', offline: true });
    const titles: string[] = proposal.chapters.flatMap((c: { title: string; children: Array<{ title: string }> }) => [c.title, ...c.children.map((s) => s.title)]);
    expect(titles.length).toBeGreaterThanOrEqual(4);
    const summarySentences = new Set(splitSentences(SUMMARY).map(comparable));
    for (const title of titles) {
      expect(title).not.toMatch(/…|\.\.\.$/u);
      expect(title.split(/\s+/u).length).toBeLessThanOrEqual(MAX_TITLE_WORDS);
      expect(summarySentences.has(comparable(title))).toBe(false);
      expect(title).not.toMatch(/^Answer \d/u);
    }
    expect(new Set(titles.map(comparable)).size).toBe(titles.length);
  });

  it('outlines a book in another language from its recurring words, under the same title rules', () => {
    const summary = 'Dieses Buch handelt von Gärten. Gärten brauchen Geduld und Pflege. Geduld lernt man im Garten.';
    const toc = offlineTocOutline({ brief: { title: 'Gärten', subtitle: null, genre: null, audience: null, language: 'de', description: null, targetWords: null, summary }, interview: [], existing: [] });
    const titles = toc.chapters.map((c) => c.title);
    expect(titles).toEqual(expect.arrayContaining(['Gärten', 'Geduld']));
    expect(new Set(titles.map(comparable)).size).toBe(titles.length);
    for (const title of titles) expect(title.split(/\s+/u).length).toBeLessThanOrEqual(MAX_TITLE_WORDS);
  });

  it('drafts a chapter with repeated answers merged into one paragraph citing each, and labels it template mode', async () => {
    const book = await bookWithInterview();
    const chapter = (await as('POST', `/v1/books/${book.id}/chapters`, { title: 'Difficult conversations' })).json();
    await runJob(t, author.token, 'POST', `/v1/books/${book.id}/chapters/${chapter.id}/questions/generate`, { count: 5 });
    const questions = (await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/questions?limit=20`)).json().items as Array<{ id: string }>;
    const story = 'Ana sat down with the family before her shift ended. She listened first and explained second.';
    const texts = [story, story, `${story} Afterwards she wrote down what she had promised.`, '- Listen first\n- Explain second\n- Write it down'];
    const batch = await as('POST', `/v1/books/${book.id}/chapters/${chapter.id}/answers/batch`, {
      answers: questions.slice(0, 4).map((q, i) => ({ questionId: q.id, text: texts[i], status: 'final' })),
    });
    expect(batch.statusCode).toBe(200);

    const drafts = [];
    for (const style of ['conversational', 'academic'] as const) {
      const job = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/generate`, { style, targetWords: 3_000 });
      drafts.push((await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/${job.result.draftId}`)).json());
    }
    const [draft] = drafts;
    expect(draft.generatedBy).toMatchObject({ provider: 'offline', offline: true });
    const paragraphs = draft.blocks.filter((b: { type: string }) => b.type === 'paragraph');
    const storyParagraphs = paragraphs.filter((p: { text: string }) => p.text.includes('Ana sat down with the family'));
    expect(storyParagraphs).toHaveLength(1);
    expect(storyParagraphs[0].sources.map((s: { questionId: string }) => s.questionId)).toEqual(questions.slice(0, 3).map((q) => q.id));
    expect(paragraphs.some((p: { text: string }) => p.text === 'Afterwards she wrote down what she had promised.')).toBe(true);
    // Style and length apply only with a model: both styles give the author's own words, unchanged.
    expect(drafts[1].blocks).toEqual(draft.blocks);
  });
});
