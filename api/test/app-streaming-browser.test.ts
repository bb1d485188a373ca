import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from './helpers/app-build.js';
import { SUMMARY, waitForJob } from './helpers/journey.js';
import { useModelServer } from './helpers/model-server.js';
import { CHROMIUM, CHROMIUM_ARGS, panelPage } from './helpers/panel-page.js';
import { step } from './support/openai-test-server.js';

// What the author sees while the model writes, in /app in real Chromium against the real API and the OpenAI
// wire-format test server, which streams its answer in chunks and holds the rest: the first draft block is in the
// panel (marked as not saved) while the model server still holds the rest of the answer, then the saved version
// replaces it; chapter questions and a TOC proposal show the same way; a cancelled one says nothing was changed.
// Screenshots at 300 px and 1280 px.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'app-streaming');
// 24 characters a chunk, 5 ms apart: the first block of an answer is complete after a handful of chunks.
const model = useModelServer({ streamChunkChars: 24, streamChunkMs: 5 });

let browser: Browser;
let userDataDir: string;

beforeAll(async () => {
  await ensureAppBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-chromium-'));
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir, args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** A book with one chapter whose questions are answered, served over HTTP; the author's /app open on it. */
async function bookInApp() {
  const app = await model.app({ AI_TIMEOUT_MS: '20000', RATE_LIMIT_DEFAULT_PER_MIN: '100000' });
  const user = await app.newUser();
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => app.as(user.token, { method, url, ...(payload ? { payload } : {}) });
  const book = (await api('POST', '/v1/books', { title: 'Listening' })).json<{ id: string }>();
  await api('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY });
  const chapter = (await api('POST', `/v1/books/${book.id}/chapters`, { title: 'Ask first' })).json<{ id: string }>();
  const base = `/v1/books/${book.id}/chapters/${chapter.id}`;
  await waitForJob(app, user.token, (await api('POST', `${base}/questions/generate`, { count: 5 })).json<{ job: { id: string } }>().job.id);
  const questions = (await api('GET', `${base}/questions?limit=20`)).json<{ items: Array<{ id: string }> }>().items;
  await api('POST', `${base}/answers/batch`, {
    answers: questions.slice(0, 2).map((q, i) => ({ questionId: q.id, status: 'final', text: `On the ward, Maria asked her nurse what had surprised her that week, story ${i}.` })),
  });
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.app.server.address() as { port: number };
  const page = await browser.newPage();
  await page.setViewport({ width: 300, height: 900 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`http://127.0.0.1:${port}/app/#token=${user.token}`);
  await page.locator('.aa-item-button').click();
  await page.waitForSelector('textarea[name="summary"]:not([disabled])');
  return { page, ui: panelPage(page, { artifacts: ARTIFACTS }), errors, api, base };
}

/** Screenshots of the page at the sidebar's 300 px and at 1280 px. */
async function shots(page: Page, name: string) {
  for (const width of [300, 1280]) {
    await page.setViewport({ width, height: 900 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewport({ width: 300, height: 900 });
}

/** Content chunks that hold the opening of the default answer up to the end of its first item, and no more. */
const chunksThroughFirstItem = (firstItemEnd: number) => Math.ceil(firstItemEnd / 24);

describe('/app shows what the model writes while it writes', () => {
  it('the first draft block shows while the model server holds the rest, then the saved draft replaces it', { timeout: 90_000 }, async () => {
    const { page, ui, errors, api, base } = await bookInApp();
    // The default answer opens with the section heading: `{"blocks":[{"type":"heading",…,"sources":[]}` (< 96 characters).
    model.server.script('chapter_draft_section', [step.hold(chunksThroughFirstItem(96))]);
    await ui.openNav('Draft');
    await ui.click('Write a draft');
    const held = await model.server.waitForHold(20_000);

    // The heading is in the panel as a real block, marked as being written, while the server holds the answer.
    const writing = await page.waitForSelector('article[aria-label="Draft being written"] h3', { timeout: 15_000 });
    expect(await writing!.evaluate((el) => el.textContent)).toBe('Ask first: part 1');
    expect(held.streamed).toMatchObject({ held: true, done: false });
    await ui.seeText('Being written — not saved yet.');
    expect(await page.$('article[data-draft-id]')).toBeNull();
    expect((await api('GET', `${base}/drafts`)).json<{ items: unknown[] }>().items).toEqual([]);
    await shots(page, 'draft-being-written');

    model.server.release();
    const saved = await page.waitForSelector('article[data-draft-id]', { timeout: 30_000 });
    const draftId = await saved!.evaluate((el) => el.getAttribute('data-draft-id'));
    const draft = (await api('GET', `${base}/drafts/${draftId}`)).json<{ blocks: Array<{ type: string; text?: string }> }>();
    expect(draft.blocks[0]).toMatchObject({ type: 'heading', text: 'Ask first: part 1' });
    expect(await page.$('article[aria-label="Draft being written"]')).toBeNull();
    await ui.seeText('Accept this draft');
    await shots(page, 'draft-saved');
    expect(errors).toEqual([]);
  });

  it('a draft whose stream is cut off shows why and that nothing was saved', { timeout: 90_000 }, async () => {
    const { page, ui, errors, api, base } = await bookInApp();
    // Every try stops after the first block (whatever the gateway's retries).
    model.server.script('chapter_draft_section', [step.cut(6), step.cut(6), step.cut(6), step.cut(6)]);
    await ui.openNav('Draft');
    await ui.click('Write a draft');
    await ui.seeText('The AI model stopped part-way through its answer, so nothing was saved.', 30_000);
    expect(await page.$('article[aria-label="Draft being written"]')).toBeNull();
    expect((await api('GET', `${base}/drafts`)).json<{ items: unknown[] }>().items).toEqual([]);
    await shots(page, 'draft-cut-off');
    expect(errors).toEqual([]);
  });

  it('a generation the author cancels says so, and that nothing was changed', { timeout: 90_000 }, async () => {
    const { page, ui, errors, api, base } = await bookInApp();
    const before = (await api('GET', `${base}/questions?limit=50`)).json<{ total: number }>().total;
    model.server.script('chapter_questions', [step.hold(chunksThroughFirstItem(220))]);
    await ui.openNav('Questions');
    await ui.click('Ask more questions');
    await model.server.waitForHold(20_000);
    await ui.click('Cancel');
    await ui.seeText('Questions: Cancelled', 30_000);
    await ui.seeText('Nothing was changed; start it again when you are ready.');
    model.server.release();
    expect((await api('GET', `${base}/questions?limit=50`)).json<{ total: number }>().total).toBe(before);
    await shots(page, 'questions-cancelled');
    expect(errors).toEqual([]);
  });

  it('chapter questions and a TOC proposal show as they are written', { timeout: 90_000 }, async () => {
    const { page, ui, errors } = await bookInApp();
    // `{"questions":[{"text":"Question 1 (reader) for \"Ask first\": …","helpText":…,"lens":"reader","suggestedWords":60}`
    model.server.script('chapter_questions', [step.hold(chunksThroughFirstItem(220))]);
    await ui.openNav('Questions');
    await ui.click('Ask more questions');
    await model.server.waitForHold(20_000);
    const question = await page.waitForSelector('ol[aria-label="Questions being written"] li', { timeout: 15_000 });
    expect(await question!.evaluate((el) => el.textContent)).toContain('for "Ask first": what happened');
    await shots(page, 'questions-being-written');
    model.server.release();
    await page.waitForSelector('ol[aria-label="Questions being written"]', { hidden: true, timeout: 30_000 });

    // `{"chapters":[{"ref":"C1","title":"Ask first","description":null,"sections":[]}`
    model.server.script('toc_proposal', [step.hold(chunksThroughFirstItem(90))]);
    await ui.openNav('TOC');
    await ui.click('Propose a table of contents');
    await model.server.waitForHold(20_000);
    const chapter = await page.waitForSelector('ol[aria-label="Chapters being proposed"] li', { timeout: 15_000 });
    expect(await chapter!.evaluate((el) => el.textContent)).toContain('Ask first');
    await shots(page, 'toc-being-written');
    model.server.release();
    await ui.seeText('Proposed changes', 30_000);
    await shots(page, 'toc-proposed');
    expect(errors).toEqual([]);
  });
});
