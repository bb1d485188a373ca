import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from './helpers/app-build.js';
import { runJob, SUMMARY } from './helpers/journey.js';
import { CHROMIUM, CHROMIUM_ARGS, pageErrors, panelPage } from './helpers/panel-page.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer } from './support/openai-test-server.js';

// The /app panels guide the author and tell the real reason, in real Chromium against the real API over HTTP
// (template mode): the server's reason where a step cannot run, limits with their counts, one refused brief field
// marked while the others save.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'app-guidance');

interface Served {
  t: TestApp;
  origin: string;
}

let offline: Served;
let browser: Browser;
let userDataDir: string;

async function serve(env: Record<string, string>): Promise<Served> {
  const t = await buildTestApp(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, origin: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  await ensureAppBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  offline = await serve({ AI_PROVIDER: 'offline' });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-chromium-'));
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir, args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await offline?.t.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** A fresh context (its own localStorage) at `width` px, signed in as a new author; page errors are collected. */
async function openApp(options: { on?: Served; width?: number } = {}) {
  const on = options.on ?? offline;
  const author = await on.t.newUser();
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: options.width ?? 360, height: 800 });
  const errors = pageErrors(page);
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    on.t.as(author.token, { method, url, ...(payload ? { payload } : {}) });
  return { author, page, context, errors, api, ui: panelPage(page, { artifacts: ARTIFACTS }), goto: () => page.goto(`${on.origin}/app/#token=${author.token}`) };
}

/** A book with a ready brief (and optionally one chapter with generated questions), opened at /app. */
async function openBook(options: { on?: Served; width?: number; chapter?: boolean } = {}) {
  const opened = await openApp(options);
  const { api, page, goto } = opened;
  const book = (await api('POST', '/v1/books', { title: 'The Calm One-to-One' })).json();
  await api('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 });
  let chapterId: string | null = null;
  if (options.chapter) {
    chapterId = (await api('POST', `/v1/books/${book.id}/chapters`, { title: 'Listening first' })).json().id as string;
    await runJob((options.on ?? offline).t, opened.author.token, 'POST', `/v1/books/${book.id}/chapters/${chapterId}/questions/generate`, { count: 5 });
  }
  await goto();
  await page.locator('.aa-item-button').click();
  await page.waitForSelector('textarea[name="summary"]:not([disabled])');
  return { ...opened, bookId: book.id as string, chapterId };
}

/** The book's interview started (template mode) and every question answered, as the author would. */
async function answerTheInterview({ api, author }: Pick<Awaited<ReturnType<typeof openApp>>, 'api' | 'author'>, bookId: string) {
  await runJob(offline.t, author.token, 'POST', `/v1/books/${bookId}/interview/generate`, {});
  const questions = (await api('GET', `/v1/books/${bookId}/interview`)).json().questions as Array<{ id: string }>;
  await api('PUT', `/v1/books/${bookId}/interview/answers`, {
    answers: questions.map((q) => ({ questionId: q.id, text: 'The reader is a new manager who fears silence in meetings.' })),
  });
}

const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText);

describe('the real reason, where it belongs', () => {
  it("shows the server's reason beside Write a draft for a chapter with no answers, and holds the button until one is saved", async () => {
    const { page, context, ui, api, bookId, chapterId, errors } = await openBook({ chapter: true });
    await ui.openNav('Draft');
    await page.waitForSelector('.aa-quote[data-quote="refused"]');
    expect(await textOf(page, '.aa-quote[data-quote="refused"]')).toBe('This chapter has no answers yet; answer some of its questions first.');
    const writeDisabled = () => page.$eval('form[aria-label="Draft settings"] button[type="submit"]', (b) => (b as HTMLButtonElement).disabled);
    expect(await writeDisabled()).toBe(true);
    for (const width of [300, 1280]) {
      await page.setViewport({ width, height: 800 });
      await ui.shot(`reason-draft-unanswered-${width}`);
    }
    // An answer saved elsewhere: the cost line is asked again when the panel next reads the book, and the button is free.
    const [question] = (await api('GET', `/v1/books/${bookId}/chapters/${chapterId!}/questions`)).json().items as Array<{ id: string }>;
    expect((await api('PUT', `/v1/books/${bookId}/chapters/${chapterId!}/questions/${question!.id}/answer`, { text: 'I listen first, then ask one question.', status: 'final' })).statusCode).toBe(200);
    await ui.openNav('Questions');
    await ui.openNav('Draft');
    await page.waitForSelector('.aa-quote[data-quote="cost"]');
    expect(await writeDisabled()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says the limit and the count of an over-long answer, and keeps it on this device', async () => {
    const { page, context, ui, bookId, errors } = await openBook({ chapter: true });
    await ui.openNav('Questions');
    await page.waitForSelector('.aa-answer textarea');
    await ui.paste('.aa-answer textarea', 'x'.repeat(21_600));
    await page.waitForSelector('.aa-answer [data-save-status="failed"]');
    const shown = await textOf(page, '.aa-answer');
    expect(shown).toContain('Not saved: An answer can hold at most 20,000 characters; this one has 21,600.');
    expect(shown).toContain('21,600 of 20,000 characters');
    expect(await page.$eval('.aa-answer textarea', (el) => el.getAttribute('aria-invalid'))).toBe('true');
    const kept = await page.evaluate((id) => Object.keys(localStorage).some((key) => key.startsWith(`aa.unsaved.answer:${id}:`)), bookId);
    expect(kept).toBe(true);
    await ui.shot('reason-answer-too-long');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('marks a bad target length where it is, while the other brief fields save', async () => {
    const { page, context, ui, api, bookId, errors } = await openBook();
    await ui.typeInto('input[name="audience"]', 'ward nurses');
    await ui.typeInto('input[name="genre"]', 'Non-fiction');
    await ui.typeInto('input[name="targetWords"]', '500');
    await page.waitForSelector('[data-field-error="targetWords"]');
    expect(await textOf(page, '[data-field-error="targetWords"]')).toBe('Not saved: The target length must be at least 1,000 words (not 500).');
    expect(await page.$eval('input[name="targetWords"]', (el) => el.getAttribute('aria-invalid'))).toBe('true');
    await ui.allSaved();
    expect((await api('GET', `/v1/books/${bookId}`)).json()).toMatchObject({ audience: 'ward nurses', genre: 'Non-fiction', targetWords: null });
    await ui.shot('reason-target-length');

    // Corrected, it saves and the mark goes.
    await ui.typeInto('input[name="targetWords"]', '00');
    await page.waitForFunction(() => !document.querySelector('[data-field-error]'));
    await ui.allSaved();
    expect((await api('GET', `/v1/books/${bookId}`)).json().targetWords).toBe(50_000);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Jobs (template mode) are quick alone, slower when the whole suite shares two cores. */
const JOB_WAIT_MS = 60_000;

/** Clicks the panel's one filled, primary button (the next step), and checks that it is the only one. */
async function clickPrimary(page: Page, name?: string) {
  await page.waitForFunction((wanted?: string) => {
    const primary = [...document.querySelectorAll<HTMLButtonElement>('.aa-app button.aa-primary')].filter((b) => !b.disabled);
    return primary.length === 1 && (!wanted || primary[0]!.textContent!.startsWith(wanted));
  }, { timeout: JOB_WAIT_MS }, name);
  await page.click('.aa-app button.aa-primary');
}

describe('the next step is always one click away', () => {
  it('walks an empty book to written chapters clicking only the primary next-step buttons, never the tab bar', async () => {
    const { page, context, ui, api, goto, errors } = await openApp({ width: 300 });
    let tabClicks = 0;
    await page.exposeFunction('__tabClicked', () => void tabClicks++);
    await page.evaluateOnNewDocument(() => document.addEventListener('click', (e) => {
      if ((e.target as Element).closest('nav[aria-label="Panels"]')) (window as unknown as { __tabClicked: () => void }).__tabClicked();
    }, true));
    await goto();
    await ui.typeInto('input[name="newTitle"]', 'The Calm One-to-One');
    await clickPrimary(page, 'Start this book');
    await page.waitForSelector('textarea[name="summary"]:not([disabled])');
    await ui.paste('textarea[name="summary"]', SUMMARY);
    await ui.allSaved();

    await clickPrimary(page, 'Next: Start the interview');
    await page.waitForFunction(() => document.querySelector('.aa-quote')?.textContent === 'Free: template mode (no AI model)');
    await clickPrimary(page, 'Start the interview');
    await page.waitForSelector('.aa-answer textarea', { timeout: JOB_WAIT_MS });
    for (const [i, field] of (await page.$$('.aa-answer textarea')).entries()) {
      await ui.paste(field, `Answer ${i}: the reader is a new manager on a hospital ward who fears silence in one-to-one meetings.`);
    }
    await ui.allSaved();
    await clickPrimary(page, 'Next: Propose a table of contents');
    await clickPrimary(page, 'Propose a table of contents');
    await clickPrimary(page, 'Apply proposal');
    await page.waitForSelector('.aa-toc .aa-toc-title', { timeout: JOB_WAIT_MS });
    const toc = (await api('GET', `/v1/books/${await page.evaluate(() => JSON.parse(localStorage.getItem('aa.settings.book:local')!))}/toc`)).json();
    expect(toc.chapters.length).toBeGreaterThanOrEqual(2);
    await ui.shot('walk-01-toc-300');

    for (const chapter of toc.chapters.slice(0, 2) as Array<{ id: string; title: string }>) {
      await clickPrimary(page, `Next: Questions for “${chapter.title}”`);
      await page.waitForFunction((id: string) => (document.querySelector('select[name="chapter"]') as HTMLSelectElement | null)?.value === id, {}, chapter.id);
      await clickPrimary(page, 'Generate questions');
      await page.waitForSelector('.aa-answer textarea', { timeout: JOB_WAIT_MS });
      await ui.paste('.aa-answer textarea', `In “${chapter.title}”, Maria asked her nurse what had surprised her that week, then listened without advising.`);
      await ui.allSaved();
      await clickPrimary(page, `Next: Draft “${chapter.title}”`);
      await clickPrimary(page, 'Write a draft');
      await page.waitForSelector('.aa-draft', { timeout: JOB_WAIT_MS });
      await clickPrimary(page, 'Accept this draft');
      await clickPrimary(page, `Next: Write “${chapter.title}” into the document`);
      await clickPrimary(page, 'Write');
      await page.waitForSelector(`.aa-doc section[data-chapter-id="${chapter.id}"] h1`);
    }
    await ui.shot('walk-02-written-300');
    expect(await page.$$eval('.aa-doc h1', (els) => els.map((el) => el.textContent))).toEqual(toc.chapters.slice(0, 2).map((c: { title: string }) => c.title));
    // The tab bar shows each step's state; the next step is the third chapter's questions.
    const states = () => page.$$eval('nav[aria-label="Panels"] [data-step-state]', (tabs) => tabs.map((t) => `${t.getAttribute('data-panel')}:${t.getAttribute('data-step-state')}`).join(' '));
    await page.waitForFunction(() => document.querySelector('nav [data-panel="questions"]')?.getAttribute('data-step-state') === 'next');
    expect(await states()).toBe('book:done interview:done toc:done questions:next draft:todo write:todo');
    expect(tabClicks).toBe(0);

    // A reload returns to the same panel and chapter.
    await clickPrimary(page, `Next: Questions for “${toc.chapters[2].title}”`);
    await page.waitForSelector('.aa-answer textarea, button.aa-primary');
    await page.reload();
    await page.waitForSelector('nav [aria-current="page"][data-panel="questions"]');
    await page.waitForSelector('select[name="chapter"]');
    expect(await page.$eval('select[name="chapter"]', (el) => (el as HTMLSelectElement).value)).toBe(toc.chapters[2].id);
    expect(tabClicks).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});

describe('connection and AI mode are different words', () => {
  it('says "Cannot reach the server" while the API is stopped and clears it by itself when it answers again', async () => {
    const { page, context, ui, errors } = await openBook();
    await ui.openNav('Usage');
    await ui.seeText('This month:');
    const server = offline.t.app.server;
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    try {
      await ui.click('Refresh');
      await page.waitForSelector('.aa-error[data-code="NETWORK"]', { timeout: 30_000 });
      expect(await textOf(page, '.aa-error[data-code="NETWORK"]')).toContain('Cannot reach the server');
      // The no-model mode keeps its own name; "offline" is never used for it.
      expect(await textOf(page, '.aa-header')).toContain('template mode (no AI model)');
      await ui.shot('connection-lost');
    } finally {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    }
    await page.waitForFunction(() => !document.querySelector('.aa-error[data-code="NETWORK"]'), { timeout: 20_000 });
    await ui.seeText('This month:');
    expect(await page.evaluate(() => document.body.innerText.toLowerCase().includes('offline'))).toBe(false);
    // The book overview is read again too: the next step shows.
    await page.waitForSelector('.aa-next:not(:empty)');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('narrow sidebars and any script', () => {
  it('keeps the nav on one row at 300 px and renders right-to-left text right-to-left', async () => {
    const { page, context, ui, errors } = await openBook({ width: 300 });
    const nav = await page.$eval('nav[aria-label="Panels"]', (el) => {
      const tabs = [...el.querySelectorAll('button')].map((b) => b.getBoundingClientRect());
      return { height: el.getBoundingClientRect().height, tops: new Set(tabs.map((r) => Math.round(r.top))).size, tab: tabs[0]!.height, width: el.scrollWidth, client: el.clientWidth };
    });
    expect(nav.tops).toBe(1);
    expect(nav.height).toBeLessThan(nav.tab * 2);
    expect(nav.width).toBeLessThanOrEqual(nav.client);
    // No tab label is cut, even beside a scrollbar.
    expect(await page.$$eval('nav[aria-label="Panels"] button', (tabs) => tabs.filter((t) => t.scrollWidth > t.clientWidth).map((t) => t.textContent))).toEqual([]);
    await ui.paste('input[name="subtitle"]', 'פגישות שעוזרות באמת');
    await ui.paste('input[name="audience"]', 'مديرون جدد');
    expect(await page.$eval('input[name="subtitle"]', (el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.$eval('input[name="audience"]', (el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.$eval('input[name="title"]', (el) => getComputedStyle(el).direction)).toBe('ltr');
    // Every text field takes the direction of its text.
    expect(await page.$$eval('.aa-app textarea, .aa-app input:not([type="checkbox"]):not([type="password"]):not([name="targetWords"])', (els) => els.filter((el) => el.getAttribute('dir') !== 'auto').map((el) => el.getAttribute('name')))).toEqual([]);
    await ui.allSaved();
    await ui.shot('rtl-300');
    // Every page has an icon: the browser's own request for it is answered, not a 404.
    expect(await page.evaluate(async () => { const r = await fetch('/favicon.ico'); return [r.status, r.headers.get('content-type')]; })).toEqual([200, 'image/svg+xml']);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the table of contents at 300 px', () => {
  it('breaks no chapter title inside a word, and keeps each row\'s Rename and Archive', async () => {
    const { page, context, ui, api, bookId, errors } = await openBook({ width: 300 });
    for (const title of ['Difficult conversations', 'Introduction', 'Useful one-to-one meetings', 'Acknowledgements and thanksgiving']) {
      expect((await api('POST', `/v1/books/${bookId}/chapters`, { title })).statusCode).toBe(201);
    }
    await page.reload();
    await ui.openNav('TOC');
    await page.waitForSelector('.aa-toc .aa-toc-title');
    // Each title is at least as wide as its longest word (measured in its own font), so no word is split.
    const split = await page.$$eval('.aa-toc-title', (titles) => {
      const measure = document.createElement('canvas').getContext('2d')!;
      return titles.filter((title) => {
        measure.font = getComputedStyle(title).font;
        const longest = Math.max(...(title.textContent ?? '').split(/\s+/).map((word) => measure.measureText(word).width));
        return title.clientWidth + 0.5 < longest;
      }).map((title) => title.textContent);
    });
    expect(split).toEqual([]);
    expect(await page.$$eval('.aa-toc button.aa-small', (buttons) => buttons.map((b) => b.textContent))).toEqual(Array(4).fill(['Rename', 'Archive']).flat());
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await ui.shot('toc-300');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the next step at 300 px', () => {
  it('shows the whole step, as the pointer on its own panel and as the button on the others', async () => {
    const { page, context, ui, api, author, bookId, errors } = await openBook({ width: 300 });
    await answerTheInterview({ api, author }, bookId);
    await page.reload();
    const cut = () => page.$$eval('.aa-next-here, .aa-next > button', (steps) =>
      steps.filter((step) => step.scrollWidth > step.clientWidth + 1 || step.scrollHeight > step.clientHeight + 1).map((step) => step.textContent));
    await ui.openNav('TOC');
    await ui.click('Propose a table of contents');
    await ui.seeText('Next: Apply the proposed table of contents');
    await page.waitForSelector('.aa-next-here');
    expect(await cut()).toEqual([]);
    await ui.shot('next-step-here-300');
    await ui.openNav('Book');
    await page.waitForSelector('.aa-next > button[data-next-step="toc.apply"]');
    expect(await cut()).toEqual([]);
    await ui.shot('next-step-button-300');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('a book with no chapters yet', () => {
  it('says so on every panel that works on chapters, and where to add them, instead of "choose a chapter above"', async () => {
    const { page, context, ui, errors } = await openBook({ width: 300 });
    for (const panel of ['Questions', 'Draft', 'Write']) {
      await ui.openNav(panel);
      await page.waitForSelector('[data-no-chapters]');
      expect(await textOf(page, '[data-no-chapters]')).toBe('This book has no chapters yet: propose or add them under TOC.');
      expect(await page.evaluate(() => document.body.innerText)).not.toContain('Choose a chapter above');
    }
    await ui.shot('no-chapters-write-300');
    await ui.openNav('Export');
    await ui.seeText('This book has no chapters yet: propose or add them under TOC, then accept a draft of each.');
    expect(await page.$eval('::-p-aria([name="Export Word (DOCX)"][role="button"])', (button) => (button as HTMLButtonElement).disabled)).toBe(true);
    await ui.shot('no-chapters-export-300');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a summary that cannot be read', () => {
  it('is neither called saved nor judged missing: the reason shows instead', async () => {
    const { page, context, ui, author } = await openBook({ width: 300 });
    await ui.seeText('Ready for the interview');
    await ui.openNav('Interview');
    // The administrator disables the account while the Book panel is closed: opening it again, the summary cannot be read.
    const disabled = await offline.t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    await ui.openNav('Book');
    await page.waitForSelector('.aa-error[data-code="ACCOUNT_DISABLED"]');
    await ui.seeText('This account has been disabled. Contact your administrator.');
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toContain('Summary: Saved');
    expect(text).not.toContain('Write or paste a summary of the book.');
    expect(text).not.toContain('Not ready yet');
    await ui.shot('summary-unreadable-300');
    await context.close();
  });
});

describe('a TOC proposal made elsewhere', () => {
  it('is the next step to apply, and once dismissed stays dismissed when the panel is opened again', async () => {
    const { page, context, ui, api, author, bookId, errors } = await openBook({ width: 360 });
    await answerTheInterview({ api, author }, bookId);
    // Proposed on another surface (the extension, the add-on) or before this page was loaded.
    await runJob(offline.t, author.token, 'POST', `/v1/books/${bookId}/toc/generate`, {});
    await page.reload();
    await ui.openNav('TOC');
    await page.waitForSelector('.aa-diff li');
    await ui.seeText('Next: Apply the proposed table of contents');
    await ui.shot('proposal-made-elsewhere');

    await ui.click('Dismiss');
    await ui.seeText('Next: Propose a table of contents');
    await ui.openNav('Book');
    await ui.openNav('TOC');
    await page.waitForNetworkIdle({ idleTime: 300 });
    expect(await page.$$('.aa-diff li')).toHaveLength(0);
    await ui.seeText('Next: Propose a table of contents');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('cost before spending', () => {
  let models: OpenAiTestServer;
  let ai: Served;
  beforeAll(async () => {
    models = await startOpenAiTestServer();
    ai = await serve(openAiTestEnv(models, { AI_MAX_RETRIES: '0' }));
  });
  afterAll(async () => {
    await ai?.t.close();
    await models?.close();
  });

  it("shows each generate button's quote and what is left today, then cached and free once made", async () => {
    const { page, context, ui, api, bookId, errors } = await openBook({ on: ai });
    const quote = (await api('POST', '/v1/quote', { operation: 'interview.generate', bookId })).json();
    const left = (await api('GET', '/v1/me/usage')).json().daily.remaining as number;
    expect(quote).toMatchObject({ cached: false, offline: false });
    expect(quote.estimatedTokens).toBeGreaterThan(0);
    await ui.openNav('Interview');
    const expected = await page.evaluate((n: number, l: number) => `About ${n.toLocaleString()} tokens · ${l.toLocaleString()} left today`, quote.estimatedTokens, left);
    await page.waitForFunction((text: string) => document.querySelector('.aa-quote')?.textContent === text, {}, expected);
    await ui.shot('quote-interview');

    await ui.click('Start the interview');
    await page.waitForSelector('.aa-answer textarea');
    // The same request again would come from the cache: free.
    await page.waitForFunction(() => document.querySelector('.aa-quote')?.textContent === 'Cached, free');

    await ui.openNav('TOC');
    await page.waitForFunction(() => /^About [\d,]+ tokens · [\d,]+ left today$/.test(document.querySelector('.aa-quote')?.textContent ?? ''));
    expect(errors).toEqual([]);
    await context.close();
  });
});
